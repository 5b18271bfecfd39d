package io.ferry.unix;

import io.ferry.api.event.Pollable;
import io.ferry.api.net.Errno;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.Scratch;
import java.util.Objects;

/**
 * A non-blocking, close-on-exec listening {@code AF_UNIX SOCK_SEQPACKET} socket on a path or an
 * abstract name. Poll {@link #fd()} for readability, then {@link #accept()} until it returns null.
 *
 * <p>A path listener creates the socket file at {@link #bind} and removes it at {@link #close()};
 * a stale file left by a crashed process makes {@code bind} fail with {@code EADDRINUSE} (the
 * caller decides whether to delete it). An abstract name needs no clean-up.
 *
 * <p><b>Threading.</b> Any thread; typically the event-loop thread that polls it. {@link #close()}
 * is idempotent and thread-safe; deregister from the event driver first. Accepted sockets are
 * independent of the listener and stay open when it closes.
 */
public final class UnixSeqpacketServer extends NativeDescriptor implements Pollable {
    /** The backlog used by {@link #bind(UnixAddress)}. */
    public static final int DEFAULT_BACKLOG = 64;

    private final UnixAddress address;

    private UnixSeqpacketServer(int fd, UnixAddress address) {
        super(fd);
        this.address = address;
    }

    /** As {@link #bind(UnixAddress, int)} with {@link #DEFAULT_BACKLOG}. */
    public static UnixSeqpacketServer bind(UnixAddress address) throws UnixException {
        return bind(address, DEFAULT_BACKLOG);
    }

    /**
     * Creates a socket, binds it to {@code address} and listens.
     *
     * @throws UnixException {@code EADDRINUSE} if the name or path is taken, {@code EACCES},
     *     {@code ENOENT} (missing directory) and other set-up errors; no descriptor is left open
     */
    public static UnixSeqpacketServer bind(UnixAddress address, int backlog) throws UnixException {
        Objects.requireNonNull(address, "address");
        Unix.requireAvailable();
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new UnixException("socket(AF_UNIX, SOCK_SEQPACKET)", LibC.errno());
        }
        Scratch s = Scratch.current();
        int length = address.encode(s.memory, Scratch.SOCKADDR_OFFSET);
        if (LibC.bind(fd, s.base + Scratch.SOCKADDR_OFFSET, length) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new UnixException("bind " + address, errno);
        }
        if (LibC.listen(fd, backlog) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            if (!address.isAbstract()) {
                LibC.unlink(address.name());
            }
            throw new UnixException("listen " + address, errno);
        }
        return new UnixSeqpacketServer(fd, address);
    }

    /** @return the address this listener was bound to. */
    public UnixAddress address() {
        return address;
    }

    /**
     * Accepts one pending connection, non-blocking and close-on-exec.
     *
     * @return the connected socket, or null when none is pending ({@code EAGAIN}), or when the
     *     pending one was aborted by its peer before it could be accepted
     * @throws UnixException for failures that retrying will not fix soon: {@code EMFILE},
     *     {@code ENFILE}, {@code ENOMEM}, {@code EBADF} once closed
     */
    public UnixSeqpacketSocket accept() throws UnixException {
        int fd = fd();
        if (fd < 0) {
            throw new UnixException("accept " + address, Errno.EBADF);
        }
        int accepted = LibC.accept4(fd, 0L, 0L, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        if (accepted >= 0) {
            return new UnixSeqpacketSocket(accepted);
        }
        int errno = LibC.errno();
        if (errno == Errno.EAGAIN || errno == Errno.ECONNABORTED || errno == Errno.EINTR) {
            return null;
        }
        throw new UnixException("accept " + address, errno);
    }

    /** Closes the listener once; removes the socket file of a path listener. */
    @Override
    public void close() {
        if (closeDescriptor() && !address.isAbstract()) {
            LibC.unlink(address.name());
        }
    }

    @Override
    public String toString() {
        return "UnixSeqpacketServer[" + address + ", fd " + fd() + "]";
    }
}
