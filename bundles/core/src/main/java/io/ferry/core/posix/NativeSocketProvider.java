package io.ferry.core.posix;

import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketAddresses;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.jna.LibC;
import io.ferry.core.jna.NativeScratch;
import io.ferry.core.jna.SockAddr;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * Kernel TCP sockets on raw file descriptors through JNA direct calls, for event drivers that poll
 * descriptors ({@code epoll}). Everything is non-blocking and close-on-exec from creation
 * ({@code SOCK_NONBLOCK | SOCK_CLOEXEC}, also for accepted sockets).
 *
 * <p><b>Addresses:</b> IPv4 and IPv6. A listener on a wildcard address ({@code 0.0.0.0} or
 * {@code ::}) is a dual-stack IPv6 socket ({@code IPV6_V6ONLY} off) bound to {@code ::} where the
 * kernel has IPv6, as the JDK does, so IPv4 and IPv6 clients both reach it; an IPv4 socket
 * otherwise.
 *
 * <p><b>Options:</b> {@link SocketOptions#reuseAddress()} and the buffer sizes are set on
 * listeners before {@code bind} (so the receive window scale is negotiated for accepted
 * connections), and {@link SocketOptions#backlog()} is the {@code listen} backlog; no-delay,
 * keep-alive and the buffer sizes are set on connecting sockets before {@code connect} and on
 * accepted sockets by {@link ServerSocket#accept}. {@code null} options mean
 * {@link SocketOptions#DEFAULT}.
 *
 * <p><b>Threading:</b> any thread may call {@link #listen} and {@link #connect}; the sockets then
 * belong to the given worker's event-loop thread (see {@link NativeConnectedSocket}).
 */
public final class NativeSocketProvider implements SocketProvider {
    /** The provider name shown in status output. */
    public static final String NAME = "native";

    private static final int SOCKET_FLAGS = LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;

    /** @return true if native sockets can be created on this machine. */
    public static boolean isAvailable() {
        return LibC.isAvailable();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws BindException if the address cannot be bound (in use, not permitted, not local)
     * @throws IOException for other failures, with the kernel's reason
     */
    @Override
    public ServerSocket listen(InetSocketAddress address, SocketOptions options, EventLoopWorker worker,
            SocketTracker tracker) throws IOException {
        requireAvailable();
        SocketOptions opts = options == null ? SocketOptions.DEFAULT : options;
        boolean wildcard = address.getAddress().isAnyLocalAddress();
        int family = wildcard ? LibC.AF_INET6 : SockAddr.familyOf(address);
        int fd = LibC.socket(family, LibC.SOCK_STREAM | SOCKET_FLAGS, 0);
        if (fd < 0 && wildcard && LibC.errno() == LibC.EAFNOSUPPORT) {
            family = LibC.AF_INET;
            fd = LibC.socket(family, LibC.SOCK_STREAM | SOCKET_FLAGS, 0);
        }
        if (fd < 0) {
            throw new IOException("cannot create a socket to listen on " + SocketAddresses.format(address) + ": "
                    + LibC.describe(LibC.errno()));
        }
        try {
            if (wildcard && family == LibC.AF_INET6) {
                setOption(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, 0, "IPV6_V6ONLY");
            }
            if (opts.reuseAddress()) {
                setOption(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1, "SO_REUSEADDR");
            }
            applyBufferSizes(fd, opts);
            NativeScratch scratch = NativeScratch.current();
            int length = SockAddr.encode(address, family, scratch.sockaddr());
            if (LibC.bind(fd, scratch.sockaddrAddress(), length) < 0) {
                throw new BindException("cannot bind " + SocketAddresses.format(address) + ": "
                        + LibC.describe(LibC.errno()));
            }
            if (LibC.listen(fd, opts.backlog()) < 0) {
                throw new IOException("cannot listen on " + SocketAddresses.format(address) + ": "
                        + LibC.describe(LibC.errno()));
            }
            InetSocketAddress bound = localAddress(fd);
            return tracker.track(new NativeServerSocket(fd, bound != null ? bound : address, worker, tracker));
        } catch (IOException | RuntimeException | Error e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * Starts a non-blocking connect. A failure the kernel reports at once (refused, unreachable)
     * is kept for {@link ConnectedSocket#isConnected()}, not thrown.
     *
     * @throws IOException only if no socket can be created or configured (no IPv6, EMFILE)
     */
    @Override
    public ConnectedSocket connect(InetSocketAddress address, SocketOptions options, EventLoopWorker worker,
            SocketTracker tracker) throws IOException {
        requireAvailable();
        SocketOptions opts = options == null ? SocketOptions.DEFAULT : options;
        int family = SockAddr.familyOf(address);
        int fd = LibC.socket(family, LibC.SOCK_STREAM | SOCKET_FLAGS, 0);
        if (fd < 0) {
            throw new IOException("cannot create a socket to connect to " + SocketAddresses.format(address) + ": "
                    + LibC.describe(LibC.errno()));
        }
        try {
            applyConnectionOptions(fd, opts);
            NativeScratch scratch = NativeScratch.current();
            int length = SockAddr.encode(address, family, scratch.sockaddr());
            int state;
            if (LibC.connect(fd, scratch.sockaddrAddress(), length) == 0) {
                state = NativeConnectedSocket.CONNECTED;
            } else {
                int errno = LibC.errno();
                // EINTR: a non-blocking connect goes on asynchronously, as with EINPROGRESS.
                boolean pending = errno == Errno.EINPROGRESS || errno == Errno.EINTR || errno == Errno.EALREADY;
                state = pending ? NativeConnectedSocket.CONNECTING : -errno;
            }
            return tracker.track(new NativeConnectedSocket(fd, localAddress(fd), address, state, worker, tracker));
        } catch (IOException | RuntimeException | Error e) {
            LibC.close(fd);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "native socket provider" + (isAvailable() ? "" : " (unavailable: " + LibC.unavailableReason() + ")");
    }

    /** Sets no-delay, keep-alive and buffer sizes on a connecting or accepted socket. */
    static void applyConnectionOptions(int fd, SocketOptions opts) throws IOException {
        if (opts.noDelay()) {
            setOption(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, 1, "TCP_NODELAY");
        }
        if (opts.keepAlive()) {
            setOption(fd, LibC.SOL_SOCKET, LibC.SO_KEEPALIVE, 1, "SO_KEEPALIVE");
        }
        applyBufferSizes(fd, opts);
    }

    private static void applyBufferSizes(int fd, SocketOptions opts) throws IOException {
        if (opts.receiveBufferSize() > 0) {
            setOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, opts.receiveBufferSize(), "SO_RCVBUF");
        }
        if (opts.sendBufferSize() > 0) {
            setOption(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, opts.sendBufferSize(), "SO_SNDBUF");
        }
    }

    private static void setOption(int fd, int level, int option, int value, String name) throws IOException {
        NativeScratch scratch = NativeScratch.current();
        scratch.intValue(value);
        if (LibC.setsockopt(fd, level, option, scratch.intValueAddress(), Integer.BYTES) < 0) {
            throw new IOException("setsockopt(" + name + "=" + value + ") failed: " + LibC.describe(LibC.errno()));
        }
    }

    /** @return the socket's bound address ({@code getsockname}), or null if the kernel refuses. */
    static InetSocketAddress localAddress(int fd) {
        NativeScratch scratch = NativeScratch.current();
        scratch.socklen(SockAddr.STORAGE_SIZE);
        if (LibC.getsockname(fd, scratch.sockaddrAddress(), scratch.socklenAddress()) < 0) {
            return null;
        }
        return SockAddr.decode(scratch.sockaddr(), scratch.socklen());
    }

    private static void requireAvailable() throws IOException {
        if (!LibC.isAvailable()) {
            throw new IOException("native sockets are not available: " + LibC.unavailableReason());
        }
    }
}
