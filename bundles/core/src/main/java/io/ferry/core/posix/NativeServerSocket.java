package io.ferry.core.posix;

import io.ferry.api.event.Worker;
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
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening kernel TCP socket on a raw, non-blocking descriptor, created by
 * {@link NativeSocketProvider#listen}. Register it for
 * {@link io.ferry.api.event.EventMask#READABLE} and call {@link #accept} until it returns null.
 *
 * <p><b>Threading:</b> only the event-loop thread of {@link #worker()} may call {@link #accept}.
 * {@link #close()}, {@link #fd()}, {@link #localAddress()} and {@link #worker()} may be called from
 * any thread; a close from another thread is carried out on the owner's loop.
 *
 * <p><b>Errors:</b> {@link #accept} skips connections that died in the queue and the network
 * errors Linux passes on from the new socket ({@code accept(2)} asks to treat those like
 * {@code EAGAIN}); it throws {@link IOException} for real failures ({@code EMFILE},
 * {@code ENFILE}, {@code ENOBUFS}), leaving the listener open. While the descriptor limit is
 * reached the listener stays readable, so an owner that keeps accepting should back off. After
 * the stack shut down, {@code accept} throws with {@code ESHUTDOWN}.
 */
public final class NativeServerSocket extends StackSocket implements ServerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(NativeServerSocket.class);
    private static final int ACCEPT_FLAGS = LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;

    private final int fd;
    private final InetSocketAddress local;
    private final SocketTracker tracker;

    /** Takes ownership of a bound, listening descriptor; counts the worker's load up. */
    NativeServerSocket(int fd, InetSocketAddress local, EventLoopWorker worker, SocketTracker tracker) {
        super(worker, tracker);
        this.fd = fd;
        this.local = local;
        this.tracker = tracker;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public EventLoopWorker worker() {
        return worker;
    }

    /**
     * Accepts one pending connection ({@code accept4} with {@code SOCK_NONBLOCK | SOCK_CLOEXEC}),
     * applies {@code options} to it and assigns it to {@code target}.
     *
     * @param options no-delay, keep-alive and buffer sizes for the connection; null for
     *     {@link SocketOptions#DEFAULT}
     * @param target an {@link EventLoopWorker} of the same stack; null for this listener's worker
     * @return the connection, or null when none is pending
     * @throws IllegalArgumentException if {@code target} is not an {@link EventLoopWorker}
     * @throws IOException for a real failure or after the stack shut down; the listener stays open
     */
    @Override
    public ConnectedSocket accept(SocketOptions options, Worker target) throws IOException {
        EventLoopWorker owner = target == null ? worker : asEventLoopWorker(target);
        if (failedByStack) {
            throw new IOException("listener on " + SocketAddresses.format(local) + " failed: "
                    + LibC.describe(Errno.ESHUTDOWN) + ", the posix stack shut down");
        }
        if (!isOpen()) {
            throw new IOException("listener on " + SocketAddresses.format(local) + " is closed");
        }
        SocketOptions opts = options == null ? SocketOptions.DEFAULT : options;
        NativeScratch scratch = NativeScratch.current();
        while (true) {
            scratch.socklen(SockAddr.STORAGE_SIZE);
            int cfd = LibC.accept4(fd, scratch.sockaddrAddress(), scratch.socklenAddress(), ACCEPT_FLAGS);
            if (cfd >= 0) {
                return adopt(cfd, SockAddr.decode(scratch.sockaddr(), scratch.socklen()), opts, owner);
            }
            int errno = LibC.errno();
            switch (errno) {
                case Errno.EAGAIN:
                    return null;
                case Errno.EINTR:
                case Errno.ECONNABORTED:
                // Network errors Linux passes on from a connection that already failed (accept(2)),
                // and EPERM for one a firewall rule refused: skip that connection, take the next.
                case Errno.EPROTO:
                case Errno.EPERM:
                case Errno.EOPNOTSUPP:
                case Errno.ENETUNREACH:
                case Errno.EHOSTUNREACH:
                case LibC.ENONET:
                case LibC.ENOPROTOOPT:
                case LibC.ENETDOWN:
                case LibC.EHOSTDOWN:
                    continue;
                default:
                    throw new IOException("accept on " + SocketAddresses.format(local) + " failed: "
                            + LibC.describe(errno));
            }
        }
    }

    private NativeConnectedSocket adopt(int cfd, InetSocketAddress remote, SocketOptions opts, EventLoopWorker owner) {
        try {
            try {
                NativeSocketProvider.applyConnectionOptions(cfd, opts);
            } catch (IOException e) {
                // The peer may already have reset the connection; its first read or write tells.
                LOG.debug("accepted connection from {}: {}", remote, e.getMessage());
            }
            return tracker.track(new NativeConnectedSocket(cfd, NativeSocketProvider.localAddress(cfd), remote,
                    NativeConnectedSocket.CONNECTED, owner, tracker));
        } catch (RuntimeException | Error e) {
            LibC.close(cfd);
            throw e;
        }
    }

    private static EventLoopWorker asEventLoopWorker(Worker target) {
        if (target instanceof EventLoopWorker) {
            return (EventLoopWorker) target;
        }
        throw new IllegalArgumentException("native sockets need a worker of the posix stack, not " + target);
    }

    @Override
    protected void closeResource() {
        LibC.close(fd);
    }

    @Override
    public String toString() {
        return "native listener fd " + fd + " on " + SocketAddresses.format(local);
    }
}
