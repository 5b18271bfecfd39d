package io.ferry.core.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.ferry.api.net.Errno;
import java.util.Locale;

/**
 * The libc calls Ferry's native transports need, bound by JNA <em>direct mapping</em>
 * ({@link Native#register(Class, NativeLibrary)}: static native methods, about half the cost of
 * interface mapping), with the Linux constants they take.
 *
 * <p><b>Calling convention.</b> Every buffer, struct and out-parameter is a {@code long} native
 * address (see {@link NativeBuffers}), so a call marshals nothing and allocates nothing. Sizes
 * are {@code long} ({@code size_t}/{@code ssize_t}), descriptors and flags {@code int}. Calls
 * return what the C function returns: {@code -1} (or a negative {@code ssize_t}) on failure.
 *
 * <p><b>errno.</b> JNA's direct dispatch stores {@code errno} in a per-thread slot right after
 * every call; {@link #errno()} reads that slot. Read it on the same thread, immediately after a
 * call that returned {@code -1} and before the next native call: a successful call does not
 * clear {@code errno}, so its value means nothing otherwise. The methods are not declared to
 * throw {@code LastErrorException}: that variant zeroes {@code errno} first and throws for any
 * stray non-zero value, which puts an exception on every {@code EAGAIN}.
 *
 * <p><b>Loading.</b> Compile-time constants can be used anywhere without loading JNA. The native
 * methods are bound when this class initializes; on a machine where that is impossible (not
 * Linux, an architecture whose struct layouts are not described here, JNA's native part missing)
 * initialization still succeeds, {@link #isAvailable()} is false and {@link #unavailableReason()}
 * says why; calling a native method then throws {@link UnsatisfiedLinkError}. Check availability
 * first.
 *
 * <p><b>Threading.</b> The functions are thread-safe as libc's are; the class holds no state
 * besides the availability verdict.
 */
public final class LibC {

    // epoll(7)
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 1 << 31;

    // eventfd(2)
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    // timerfd_create(2); struct itimerspec is four int64 (interval sec, nsec; value sec, nsec)
    public static final int CLOCK_MONOTONIC = 1;
    public static final int TFD_NONBLOCK = 0x800;
    public static final int TFD_CLOEXEC = 0x80000;
    public static final int ITIMERSPEC_SIZE = 32;
    public static final int ITIMERSPEC_VALUE_SEC_OFFSET = 16;
    public static final int ITIMERSPEC_VALUE_NSEC_OFFSET = 24;

    // socket(2), socketpair(2), accept4(2)
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    // setsockopt(2) levels and options
    public static final int SOL_SOCKET = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int TCP_NODELAY = 1;
    /** {@code struct tcp_info}; its first byte is the connection state. */
    public static final int TCP_INFO = 11;
    public static final int IPV6_V6ONLY = 26;

    // TCP states (include/net/tcp_states.h), as found in tcp_info.tcpi_state
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_CLOSE = 7;

    // send(2) flags, shutdown(2)
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** Upper bound of iovecs per call ({@code IOV_MAX}). */
    public static final int IOV_MAX = 1024;

    // errno values the transports test for, besides those in io.ferry.api.net.Errno
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int ENONET = 64;
    public static final int ENOPROTOOPT = 92;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENETDOWN = 100;
    public static final int EHOSTDOWN = 112;

    private static final String UNAVAILABLE_REASON = bind();

    private LibC() {
    }

    /** @return true if the native methods are bound and the struct layouts fit this machine. */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** @return why {@link #isAvailable()} is false, or null when it is true. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /**
     * @return the calling thread's {@code errno} as captured after its last native call through
     *     JNA; meaningful only right after a call that failed
     */
    public static int errno() {
        return Native.getLastError();
    }

    /**
     * Describes an errno value for an exception message or a log line, such as
     * {@code "Connection refused (ECONNREFUSED)"}. Allocates; not for hot paths.
     */
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
        if (text == null || text.isEmpty()) {
            return name;
        }
        return text + " (" + name + ")";
    }

    private static String bind() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux (os.name=" + os + ")";
        }
        String arch = System.getProperty("os.arch", "");
        if (!Layout.isSupported()) {
            return "no struct layouts for architecture " + arch + " (supported: x86-64, aarch64)";
        }
        try {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "JNA could not bind libc: " + e;
        }
    }

    /** Architecture facts the struct descriptors depend on; read without loading JNA. */
    static final class Layout {
        private Layout() {
        }

        /** x86-64 packs {@code struct epoll_event} (12 bytes); other 64-bit ABIs pad it to 16. */
        static boolean isX86_64() {
            String arch = System.getProperty("os.arch", "");
            return arch.equals("amd64") || arch.equals("x86_64");
        }

        static boolean isSupported() {
            return isX86_64() || System.getProperty("os.arch", "").equals("aarch64");
        }
    }

    // ---- epoll / eventfd ----

    public static native int epoll_create1(int flags);

    /** @param event address of one {@link EpollEventDescriptor epoll_event}, 0 for DEL */
    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    /** @param events address of {@code maxEvents} {@link EpollEventDescriptor epoll_event}s */
    public static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

    public static native int eventfd(int initialValue, int flags);

    public static native int timerfd_create(int clockId, int flags);

    /**
     * @param newValue address of a {@code struct itimerspec} ({@link #ITIMERSPEC_SIZE} bytes)
     * @param oldValue address for the previous setting, or 0
     */
    public static native int timerfd_settime(int fd, int flags, long newValue, long oldValue);

    // ---- descriptors ----

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native long writev(int fd, long iov, int iovcnt);

    public static native int close(int fd);

    // ---- sockets ----

    public static native int socket(int domain, int type, int protocol);

    /** @param sv address of two {@code int}s that receive the pair's descriptors */
    public static native int socketpair(int domain, int type, int protocol, long sv);

    public static native int bind(int fd, long sockaddr, int addrlen);

    public static native int listen(int fd, int backlog);

    /**
     * @param sockaddr where the peer address goes (0 to skip)
     * @param addrlenPtr address of a {@code socklen_t} holding the room at {@code sockaddr}; the
     *     kernel writes the real length back (0 to skip)
     */
    public static native int accept4(int fd, long sockaddr, long addrlenPtr, int flags);

    public static native int connect(int fd, long sockaddr, int addrlen);

    public static native int getsockopt(int fd, int level, int optname, long optval, long optlenPtr);

    public static native int setsockopt(int fd, int level, int optname, long optval, int optlen);

    public static native int getsockname(int fd, long sockaddr, long addrlenPtr);

    public static native int getpeername(int fd, long sockaddr, long addrlenPtr);

    public static native int shutdown(int fd, int how);

    /** @param msghdr address of a {@link MsgHdrDescriptor msghdr} */
    public static native long sendmsg(int fd, long msghdr, int flags);

    public static native long send(int fd, long buf, long len, int flags);

    public static native long recv(int fd, long buf, long len, int flags);

    // ---- diagnostics ----

    /** libc's message for an errno value; allocates a String. */
    public static native String strerror(int errnum);
}
