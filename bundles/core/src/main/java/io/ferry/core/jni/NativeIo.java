package io.ferry.core.jni;

import io.ferry.core.jna.LibC;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system calls on the data path (recv, send, sendmsg, write, epoll_wait, epoll_ctl,
 * timerfd_settime) through Ferry's own small JNI library when it loads, else through JNA's
 * {@link LibC}. Same calls, same arguments; JNI costs about a tenth of JNA's direct dispatch per
 * call (libffi, errno saved to a thread slot), which is most of what separates an echo on Ferry's
 * posix stack from one on Netty's epoll transport (see docs/native-io.md).
 *
 * <p><b>Convention.</b> Every method returns what the C function returns on success and
 * {@code -errno} on failure, so no second call fetches {@code errno}. {@code recv}, {@code send},
 * {@code sendmsg} and {@code write} retry {@code EINTR} themselves; {@code epollWait} returns
 * {@code -EINTR}. Buffers, structs and out-parameters are native addresses as in {@link LibC}.
 *
 * <p><b>Loading.</b> The library is built with the core bundle (bundles/core/src/main/c) and
 * carried in it as {@code META-INF/native/linux-<arch>/libferry-core-io.so}. Class initialization
 * copies it to a fresh temporary file, loads it with {@link System#load} and deletes the file (a
 * refreshed bundle gets its own copy: a library can be bound to one class loader only). If that
 * fails — another architecture, a {@code noexec} temporary directory, a library from another
 * version — or {@code -Dferry.native.jni=false} is set, every call goes through JNA and
 * {@link #jniUnavailableReason()} says why (logged once at INFO). Nothing is lost but speed.
 *
 * <p><b>Threading.</b> Any thread; stateless after initialization.
 */
public final class NativeIo {
    /** Version of the C side's contract; the library answers it from {@code abi0()}. */
    static final int ABI = 1;
    /** System property: {@code false} forces the JNA path (for comparisons and tests). */
    public static final String JNI_PROPERTY = "ferry.native.jni";
    static final String LIBRARY_NAME = "libferry-core-io.so";

    private static final Logger LOG = LoggerFactory.getLogger(NativeIo.class);
    private static final String JNI_UNAVAILABLE_REASON = loadJni();
    private static final boolean JNI = JNI_UNAVAILABLE_REASON == null;

    private NativeIo() {
    }

    /** @return true if calls go through Ferry's JNI library, false if through JNA. */
    public static boolean usesJni() {
        return JNI;
    }

    /** @return why the JNI library is not in use, or null when it is. */
    public static String jniUnavailableReason() {
        return JNI_UNAVAILABLE_REASON;
    }

    /** @return "jni" or "jna", for status lines. */
    public static String implementation() {
        return JNI ? "jni" : "jna";
    }

    /** {@code recv(2)}, retrying EINTR. @return bytes received, 0 at end of stream, or -errno */
    public static long recv(int fd, long buf, long len, int flags) {
        return JNI ? recv0(fd, buf, len, flags) : Jna.recv(fd, buf, len, flags);
    }

    /** {@code send(2)}, retrying EINTR. @return bytes sent or -errno */
    public static long send(int fd, long buf, long len, int flags) {
        return JNI ? send0(fd, buf, len, flags) : Jna.send(fd, buf, len, flags);
    }

    /** {@code sendmsg(2)}, retrying EINTR. @return bytes sent or -errno */
    public static long sendmsg(int fd, long msghdr, int flags) {
        return JNI ? sendmsg0(fd, msghdr, flags) : Jna.sendmsg(fd, msghdr, flags);
    }

    /** {@code write(2)}, retrying EINTR. @return bytes written or -errno */
    public static long write(int fd, long buf, long count) {
        return JNI ? write0(fd, buf, count) : Jna.write(fd, buf, count);
    }

    /** {@code epoll_wait(2)}. @return ready events, or -errno (-EINTR included) */
    public static int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return JNI ? epollWait0(epfd, events, maxEvents, timeoutMillis) : Jna.epollWait(epfd, events, maxEvents, timeoutMillis);
    }

    /** {@code epoll_ctl(2)}. @return 0 or -errno */
    public static int epollCtl(int epfd, int op, int fd, long event) {
        return JNI ? epollCtl0(epfd, op, fd, event) : Jna.epollCtl(epfd, op, fd, event);
    }

    /** {@code timerfd_settime(2)}. @return 0 or -errno */
    public static int timerfdSettime(int fd, int flags, long newValue, long oldValue) {
        return JNI ? timerfdSettime0(fd, flags, newValue, oldValue) : Jna.timerfdSettime(fd, flags, newValue, oldValue);
    }

    // The JNI side (bundles/core/src/main/c/ferry_core_io.c). Package-private so that tests can
    // hold both paths to the same expectations.

    static native int abi0();

    static native long recv0(int fd, long buf, long len, int flags);

    static native long send0(int fd, long buf, long len, int flags);

    static native long sendmsg0(int fd, long msghdr, int flags);

    static native long write0(int fd, long buf, long count);

    static native int epollWait0(int epfd, long events, int maxEvents, int timeoutMillis);

    static native int epollCtl0(int epfd, int op, int fd, long event);

    static native int timerfdSettime0(int fd, int flags, long newValue, long oldValue);


    /** The same calls through JNA, with the same convention; package-private for the parity tests. */
    static final class Jna {
        private static final int EINTR = 4;

        private Jna() {
        }

        static long recv(int fd, long buf, long len, int flags) {
            long n;
            do {
                n = LibC.recv(fd, buf, len, flags);
            } while (n < 0 && LibC.errno() == EINTR);
            return n < 0 ? -LibC.errno() : n;
        }

        static long send(int fd, long buf, long len, int flags) {
            long n;
            do {
                n = LibC.send(fd, buf, len, flags);
            } while (n < 0 && LibC.errno() == EINTR);
            return n < 0 ? -LibC.errno() : n;
        }

        static long sendmsg(int fd, long msghdr, int flags) {
            long n;
            do {
                n = LibC.sendmsg(fd, msghdr, flags);
            } while (n < 0 && LibC.errno() == EINTR);
            return n < 0 ? -LibC.errno() : n;
        }

        static long write(int fd, long buf, long count) {
            long n;
            do {
                n = LibC.write(fd, buf, count);
            } while (n < 0 && LibC.errno() == EINTR);
            return n < 0 ? -LibC.errno() : n;
        }

        static int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
            int n = LibC.epoll_wait(epfd, events, maxEvents, timeoutMillis);
            return n < 0 ? -LibC.errno() : n;
        }

        static int epollCtl(int epfd, int op, int fd, long event) {
            return LibC.epoll_ctl(epfd, op, fd, event) < 0 ? -LibC.errno() : 0;
        }

        static int timerfdSettime(int fd, int flags, long newValue, long oldValue) {
            return LibC.timerfd_settime(fd, flags, newValue, oldValue) < 0 ? -LibC.errno() : 0;
        }
    }

    /** @return the resource path of the library for this machine, or null if none is built for it */
    static String libraryResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> null;
        };
        return arch == null ? null : "/META-INF/native/linux-" + arch + "/" + LIBRARY_NAME;
    }

    private static String loadJni() {
        String reason = tryLoadJni();
        if (reason == null) {
            LOG.debug("native I/O through Ferry's JNI library");
        } else {
            LOG.info("native I/O through JNA (slower): {}", reason);
        }
        return reason;
    }

    private static String tryLoadJni() {
        if (!Boolean.parseBoolean(System.getProperty(JNI_PROPERTY, "true"))) {
            return "disabled by -D" + JNI_PROPERTY + "=false";
        }
        if (!LibC.isAvailable()) {
            return "no native access at all: " + LibC.unavailableReason();
        }
        String resource = libraryResource();
        if (resource == null) {
            return "no JNI library built for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        }
        Path copy = null;
        try (InputStream in = NativeIo.class.getResourceAsStream(resource)) {
            if (in == null) {
                return resource + " is not in this build (was gcc missing when core was built?)";
            }
            copy = Files.createTempFile("ferry-core-io-", ".so");
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            System.load(copy.toAbsolutePath().toString());
            int abi = abi0();
            if (abi != ABI) {
                return resource + " speaks ABI " + abi + ", this class " + ABI;
            }
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return "could not load " + resource + ": " + e;
        } finally {
            if (copy != null) {
                try {
                    // the loaded mapping stays valid after the name is gone
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    copy.toFile().deleteOnExit();
                }
            }
        }
    }
}
