package io.ferry.pldm.dma;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Locale;

/**
 * The libc calls the xdma device needs, bound by JNA direct mapping (static natives; buffers as
 * {@code long} addresses, so nothing is marshalled). Kept in this bundle because core's binding is
 * private to core. Binding happens when the class initializes; where it is impossible
 * {@link #unavailableReason()} says why and the natives must not be called. {@code errno} is read
 * with {@link Native#getLastError()} right after a call that returned -1, on the same thread.
 */
final class XdmaLibC {
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;
    static final short POLLIN = 0x001;
    static final short POLLOUT = 0x004;
    static final short POLLERR = 0x008;
    static final short POLLHUP = 0x010;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS_OFFSET = 4;
    static final int POLLFD_REVENTS_OFFSET = 6;

    private static final String UNAVAILABLE_REASON = bind();

    private XdmaLibC() {
    }

    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    static int errno() {
        return Native.getLastError();
    }

    private static String bind() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux (os.name=" + os + ")";
        }
        try {
            Native.register(XdmaLibC.class, NativeLibrary.getInstance("c"));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "JNA could not bind libc: " + e;
        }
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long write(int fd, long buf, long count);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    /** @param fds address of {@code nfds} {@code struct pollfd}s */
    static native int poll(long fds, long nfds, int timeoutMillis);
}
