package io.ferry.unix.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.ferry.api.net.Errno;
import java.util.Locale;

/**
 * The libc calls of the Unix native-I/O bundle, bound by JNA <em>direct mapping</em>
 * ({@link Native#register(Class, NativeLibrary)}), with the Linux constants they take. The
 * constants are the same on x86-64 and aarch64, the two architectures accepted here.
 *
 * <p><b>Calling convention.</b> Buffers, structs and out-parameters are {@code long} native
 * addresses (see {@link Addresses}, {@link Scratch}), so calls marshal nothing and allocate
 * nothing. Calls return what the C function returns: {@code -1} on failure.
 *
 * <p><b>errno.</b> JNA stores {@code errno} in a per-thread slot after every direct call;
 * {@link #errno()} reads it. Read it on the same thread, right after a call that returned
 * {@code -1}, before the next native call.
 *
 * <p><b>Loading.</b> Binding happens when this class initializes; where it is impossible (not
 * Linux, another architecture, JNA's native part missing) initialization still succeeds,
 * {@link #isAvailable()} is false and {@link #unavailableReason()} says why. {@code memfd_create}
 * is bound separately ({@link Memfd}) so that an old libc without it only loses memfd.
 *
 * <p><b>Threading.</b> Stateless; any thread.
 */
public final class LibC {
    // socket(2), socketpair(2), accept4(2)
    public static final int AF_UNIX = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    // getsockopt(2)
    public static final int SOL_SOCKET = 1;
    public static final int SO_PEERCRED = 17;
    public static final int SCM_RIGHTS = 1;

    // send/recv flags
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    // eventfd(2)
    public static final int EFD_SEMAPHORE = 0x1;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    // poll(2), ppoll(2): struct pollfd events/revents bits
    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;

    // memfd_create(2), fcntl(2) seals
    public static final int MFD_CLOEXEC = 0x1;
    public static final int MFD_ALLOW_SEALING = 0x2;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_GET_SEALS = 1034;
    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;

    // open(2), lseek(2)
    public static final int O_RDWR = 0x2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_CLOEXEC = 0x80000;
    public static final int SEEK_END = 2;

    // mmap(2)
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x1;
    public static final long MAP_FAILED = -1L;

    // errno values not in io.ferry.api.net.Errno
    public static final int ENOENT = 2;
    public static final int ENOSYS = 38;
    public static final int ENAMETOOLONG = 36;

    private static final String UNAVAILABLE_REASON = bind();

    private LibC() {
    }

    /** @return true if the native methods are bound. */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** @return why {@link #isAvailable()} is false, or null. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /** @return the calling thread's {@code errno} after its last native call; see the class doc. */
    public static int errno() {
        return Native.getLastError();
    }

    /** Describes an errno value for a message, e.g. {@code "Connection refused (ECONNREFUSED)"}. Allocates. */
    public static String describe(int errno) {
        int e = Math.abs(errno);
        String text = null;
        if (isAvailable()) {
            try {
                text = strerror(e);
            } catch (RuntimeException | LinkageError ignored) {
                text = null;
            }
        }
        String name = Errno.name(e);
        return text == null || text.isEmpty() ? name : text + " (" + name + ")";
    }

    /** @return true on an architecture whose struct layouts (64-bit Linux generic) are described here. */
    static boolean isSupportedArchitecture() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
    }

    private static String bind() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux (os.name=" + os + ")";
        }
        if (!isSupportedArchitecture()) {
            return "no struct layouts for architecture " + System.getProperty("os.arch") + " (supported: x86-64, aarch64)";
        }
        try {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "JNA could not bind libc: " + e;
        }
    }

    // ---- descriptors ----

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native int close(int fd);

    /** Declared with a fixed third argument: the variadic {@code fcntl} takes an int for the seal calls. */
    public static native int fcntl(int fd, int cmd, int arg);

    public static native long lseek(int fd, long offset, int whence);

    /** Declared with a fixed mode: {@code open} is variadic, the mode is read only with {@code O_CREAT}. */
    public static native int open(String path, int flags, int mode);

    public static native int unlink(String path);

    public static native int ftruncate(int fd, long length);

    public static native int eventfd(int initialValue, int flags);

    /** @param fds address of {@code struct pollfd[nfds]} ({@link MsgHdrDescriptor#POLLFD_SIZE} each) */
    public static native int poll(long fds, long nfds, int timeoutMillis);

    /**
     * {@code ppoll(2)}: as {@code poll} with a nanosecond timeout. glibc's wrapper does not write
     * the timeout back (the raw system call would), so callers recompute what is left themselves.
     *
     * @param fds address of {@code struct pollfd[nfds]}
     * @param timespec address of a {@code struct timespec} ({@link MsgHdrDescriptor#TIMESPEC_SIZE}),
     *     0 to wait without limit
     * @param sigmask address of a {@code sigset_t}, 0 to keep the thread's signal mask
     */
    public static native int ppoll(long fds, long nfds, long timespec, long sigmask);

    // ---- memory ----

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    // ---- sockets ----

    public static native int socket(int domain, int type, int protocol);

    /** @param sv address of {@code int[2]} */
    public static native int socketpair(int domain, int type, int protocol, long sv);

    public static native int bind(int fd, long sockaddr, int addrlen);

    public static native int listen(int fd, int backlog);

    public static native int accept4(int fd, long sockaddr, long addrlenPtr, int flags);

    public static native int connect(int fd, long sockaddr, int addrlen);

    public static native int getsockopt(int fd, int level, int optname, long optval, long optlenPtr);

    public static native long send(int fd, long buf, long len, int flags);

    public static native long recv(int fd, long buf, long len, int flags);

    /** @param msghdr address of a {@link MsgHdrDescriptor msghdr} */
    public static native long sendmsg(int fd, long msghdr, int flags);

    /** @param msghdr address of a {@link MsgHdrDescriptor msghdr}; the kernel writes {@code msg_flags} back */
    public static native long recvmsg(int fd, long msghdr, int flags);

    public static native int getpid();

    public static native int getuid();

    public static native int getgid();

    /** libc's message for an errno value; allocates a String. */
    public static native String strerror(int errnum);
}
