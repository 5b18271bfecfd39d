package io.ferry.unix;

import io.ferry.api.event.Pollable;
import io.ferry.api.net.Errno;
import io.ferry.unix.internal.Addresses;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.MsgHdrDescriptor;
import io.ferry.unix.internal.Scratch;
import java.nio.ByteBuffer;

/**
 * A non-blocking, close-on-exec {@code AF_UNIX SOCK_SEQPACKET} socket: a connection that keeps
 * message boundaries, can carry descriptors ({@code SCM_RIGHTS}) and tells who the peer is
 * ({@code SO_PEERCRED}). Created unconnected ({@link #open()}), connected
 * ({@link #connect(UnixAddress)}), as a {@link #pair()}, or by
 * {@link UnixSeqpacketServer#accept()}.
 *
 * <p><b>Return codes.</b> The per-message methods never block, never throw for I/O failures and
 * allocate nothing (heap buffers go through a per-thread copy area, allocated on first use).
 * They return the datagram's byte count, {@code 0} for an orderly end of stream, or a negative
 * errno: {@code -EAGAIN} when nothing is pending or the send queue is full (wait for the
 * descriptor to become readable or writable), {@link #TRUNCATED} when a received datagram did not
 * fit (its tail is discarded by the kernel), {@code -EPIPE} or {@code -ECONNRESET} when the peer
 * has gone, {@code -EBADF} once closed. Empty datagrams are refused on send ({@code -EINVAL}) so
 * that {@code 0} on receive always means end of stream between Ferry peers.
 *
 * <p><b>Threading.</b> Any thread may call any method; each datagram is sent and received
 * atomically by the kernel. Typically one event-loop thread owns the socket, polls {@link #fd()}
 * with its {@link io.ferry.api.event.EventDriver} and does all I/O. {@link #close()} is
 * idempotent and thread-safe (the descriptor is closed exactly once) but must not race with I/O
 * on another thread, and callers deregister the descriptor from their event driver first.
 */
public final class UnixSeqpacketSocket extends NativeDescriptor implements Pollable {
    /** Returned by the receive methods when a datagram was larger than the buffer's room. */
    public static final int TRUNCATED = -Errno.EMSGSIZE;
    /** The most descriptors one datagram can carry ({@code SCM_MAX_FD}). */
    public static final int MAX_FDS = MsgHdrDescriptor.SCM_MAX_FD;

    private static final int SEND_FLAGS = LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT;
    private static final int RECV_FLAGS = LibC.MSG_TRUNC | LibC.MSG_DONTWAIT;
    private static final int RECVMSG_FLAGS = LibC.MSG_DONTWAIT | LibC.MSG_CMSG_CLOEXEC;
    private static final int SOCKET_FLAGS = LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;

    UnixSeqpacketSocket(int fd) {
        super(fd);
    }

    /**
     * Creates an unconnected socket; connect it with {@link #connect(UnixAddress)}.
     *
     * @throws UnixException if the socket cannot be created (e.g. {@code EMFILE})
     */
    public static UnixSeqpacketSocket open() throws UnixException {
        Unix.requireAvailable();
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | SOCKET_FLAGS, 0);
        if (fd < 0) {
            throw new UnixException("socket(AF_UNIX, SOCK_SEQPACKET)", LibC.errno());
        }
        return new UnixSeqpacketSocket(fd);
    }

    /**
     * Creates a socket connected to a listening {@link UnixSeqpacketServer}. A Unix connection is
     * made at once or refused, so this does not block.
     *
     * @throws UnixException {@code ECONNREFUSED} (nobody listens), {@code ENOENT} (no such path),
     *     {@code EAGAIN} (the listener's backlog is full: retry later), and other set-up errors;
     *     no descriptor is left open
     */
    public static UnixSeqpacketSocket connect(UnixAddress address) throws UnixException {
        UnixSeqpacketSocket socket = open();
        int rc = socket.connectTo(address);
        if (rc != 0) {
            socket.close();
            throw new UnixException("connect " + address, -rc);
        }
        return socket;
    }

    /**
     * Creates two sockets connected to each other ({@code socketpair}), e.g. to hand one end to
     * a child process or to another bundle.
     *
     * @return a new array of the two ends
     */
    public static UnixSeqpacketSocket[] pair() throws UnixException {
        Unix.requireAvailable();
        Scratch s = Scratch.current();
        if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | SOCKET_FLAGS, 0, s.base + Scratch.PAIR_OFFSET) != 0) {
            throw new UnixException("socketpair(AF_UNIX, SOCK_SEQPACKET)", LibC.errno());
        }
        return new UnixSeqpacketSocket[] {
            new UnixSeqpacketSocket(s.memory.getInt(Scratch.PAIR_OFFSET)),
            new UnixSeqpacketSocket(s.memory.getInt(Scratch.PAIR_OFFSET + 4))
        };
    }

    /**
     * Takes ownership of a connected {@code SOCK_SEQPACKET} descriptor (for example one received
     * with {@link #receiveWithFds}); it is closed by {@link #close()}. The caller guarantees the
     * descriptor's type; non-blocking mode is the caller's to have set.
     */
    public static UnixSeqpacketSocket adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        return new UnixSeqpacketSocket(fd);
    }

    /**
     * Connects this socket.
     *
     * @return 0 when connected, or {@code -ECONNREFUSED}, {@code -ENOENT}, {@code -EAGAIN}
     *     (backlog full), {@code -EISCONN}, {@code -EBADF}...
     */
    public int connectTo(UnixAddress address) {
        int fd = fd();
        if (fd < 0) {
            return -Errno.EBADF;
        }
        Scratch s = Scratch.current();
        int length = address.encode(s.memory, Scratch.SOCKADDR_OFFSET);
        if (LibC.connect(fd, s.base + Scratch.SOCKADDR_OFFSET, length) == 0) {
            return 0;
        }
        return -LibC.errno();
    }

    /**
     * Sends {@code src}'s remaining bytes as one datagram and advances its position past them.
     *
     * @return the byte count, or {@code -EAGAIN} (queue full), {@code -EMSGSIZE} (larger than the
     *     socket's send buffer allows), {@code -EINVAL} (empty), {@code -EPIPE}, {@code -EBADF}...
     */
    public int send(ByteBuffer src) {
        return sendWithFds(src, null, 0);
    }

    /**
     * Sends {@code src}'s remaining bytes as one datagram carrying {@code fds} ({@code SCM_RIGHTS}):
     * the peer receives duplicates; the caller keeps, and eventually closes, its own.
     *
     * @param fds the descriptors to pass (at most {@link #MAX_FDS}); null or empty for none
     * @return as {@link #send(ByteBuffer)}; {@code -EINVAL} also for too many or negative fds
     */
    public int sendWithFds(ByteBuffer src, int[] fds) {
        return sendWithFds(src, fds, fds == null ? 0 : fds.length);
    }

    /** As {@link #sendWithFds(ByteBuffer, int[])} with the first {@code fdCount} entries of {@code fds}. */
    public int sendWithFds(ByteBuffer src, int[] fds, int fdCount) {
        int fd = fd();
        if (fd < 0) {
            return -Errno.EBADF;
        }
        int length = src.remaining();
        if (length == 0 || fdCount < 0 || fdCount > MAX_FDS) {
            return -Errno.EINVAL;
        }
        Scratch s = Scratch.current();
        long address;
        if (src.isDirect()) {
            address = Addresses.address(src) + src.position();
        } else {
            s.copyBuffer(length).put(0, src, src.position(), length);
            address = s.copyAddress();
        }
        long n;
        if (fdCount == 0) {
            n = LibC.send(fd, address, length, SEND_FLAGS);
        } else {
            int dataLength = fdCount * Integer.BYTES;
            int control = Scratch.CONTROL_OFFSET;
            s.memory.putLong(control + MsgHdrDescriptor.CMSG_LEN_OFFSET, MsgHdrDescriptor.cmsgLen(dataLength));
            s.memory.putInt(control + MsgHdrDescriptor.CMSG_LEVEL_OFFSET, LibC.SOL_SOCKET);
            s.memory.putInt(control + MsgHdrDescriptor.CMSG_TYPE_OFFSET, LibC.SCM_RIGHTS);
            for (int i = 0; i < fdCount; i++) {
                if (fds[i] < 0) {
                    return -Errno.EINVAL;
                }
                s.memory.putInt(control + MsgHdrDescriptor.CMSG_HEADER_SIZE + i * Integer.BYTES, fds[i]);
            }
            n = LibC.sendmsg(fd, s.msghdr(address, length, MsgHdrDescriptor.cmsgSpace(dataLength)), SEND_FLAGS);
        }
        if (n < 0) {
            return -LibC.errno();
        }
        src.position(src.position() + (int) n);
        return (int) n;
    }

    /**
     * Receives one datagram into {@code dst} from its position and advances the position past it.
     * Descriptors that arrive with it are closed by the kernel (use
     * {@link #receiveWithFds(ByteBuffer, int[])} to accept them).
     *
     * @return the byte count; {@code 0} at end of stream; {@link #TRUNCATED} if the datagram was
     *     longer than {@code dst.remaining()} (the position does not move, the datagram is gone);
     *     {@code -EAGAIN} when none is pending; {@code -ECONNRESET}, {@code -EBADF}...
     */
    public int receive(ByteBuffer dst) {
        int fd = fd();
        if (fd < 0) {
            return -Errno.EBADF;
        }
        int room = dst.remaining();
        Scratch s = Scratch.current();
        boolean direct = dst.isDirect();
        long address;
        if (direct) {
            address = Addresses.address(dst) + dst.position();
        } else {
            s.copyBuffer(room);
            address = s.copyAddress();
        }
        // MSG_TRUNC makes the kernel return the datagram's real length, so truncation shows.
        long n = LibC.recv(fd, address, room, RECV_FLAGS);
        if (n < 0) {
            return -LibC.errno();
        }
        if (n > room) {
            return TRUNCATED;
        }
        return accept(dst, (int) n, direct, s);
    }

    /**
     * Receives one datagram as {@link #receive(ByteBuffer)} does, and the descriptors passed with
     * it. Received descriptors are close-on-exec ({@code MSG_CMSG_CLOEXEC}) and owned by the
     * caller. The first {@code fdsOut.length} are stored in {@code fdsOut}; the other slots are
     * set to -1; any descriptors beyond {@code fdsOut.length} are closed at once, never leaked.
     * On end of stream, truncation or error every received descriptor is closed and all slots
     * are -1.
     *
     * @param fdsOut where the received descriptors go, in order; may be empty
     * @return as {@link #receive(ByteBuffer)}
     */
    public int receiveWithFds(ByteBuffer dst, int[] fdsOut) {
        int fd = fd();
        java.util.Arrays.fill(fdsOut, -1);
        if (fd < 0) {
            return -Errno.EBADF;
        }
        int room = dst.remaining();
        Scratch s = Scratch.current();
        boolean direct = dst.isDirect();
        long address;
        if (direct) {
            address = Addresses.address(dst) + dst.position();
        } else {
            s.copyBuffer(room);
            address = s.copyAddress();
        }
        long n = LibC.recvmsg(fd, s.msghdr(address, room, Scratch.CONTROL_SIZE), RECVMSG_FLAGS);
        if (n < 0) {
            return -LibC.errno();
        }
        boolean truncated = (s.msgFlags() & LibC.MSG_TRUNC) != 0;
        boolean keep = n > 0 && !truncated;
        collectFds(s, keep ? fdsOut : null);
        if (truncated) {
            return TRUNCATED;
        }
        return accept(dst, (int) n, direct, s);
    }

    /**
     * Walks the control data of the last {@code recvmsg}: SCM_RIGHTS descriptors go to
     * {@code fdsOut} while there is room, the rest are closed.
     */
    private static void collectFds(Scratch s, int[] fdsOut) {
        int controlLength = Math.min(s.controlLength(), Scratch.CONTROL_SIZE);
        int stored = 0;
        int offset = 0;
        while (offset + MsgHdrDescriptor.CMSG_HEADER_SIZE <= controlLength) {
            int at = Scratch.CONTROL_OFFSET + offset;
            long cmsgLength = s.memory.getLong(at + MsgHdrDescriptor.CMSG_LEN_OFFSET);
            if (cmsgLength < MsgHdrDescriptor.CMSG_HEADER_SIZE || offset + cmsgLength > controlLength) {
                break;
            }
            if (s.memory.getInt(at + MsgHdrDescriptor.CMSG_LEVEL_OFFSET) == LibC.SOL_SOCKET
                    && s.memory.getInt(at + MsgHdrDescriptor.CMSG_TYPE_OFFSET) == LibC.SCM_RIGHTS) {
                int count = (int) (cmsgLength - MsgHdrDescriptor.CMSG_HEADER_SIZE) / Integer.BYTES;
                for (int i = 0; i < count; i++) {
                    int received = s.memory.getInt(at + MsgHdrDescriptor.CMSG_HEADER_SIZE + i * Integer.BYTES);
                    if (fdsOut != null && stored < fdsOut.length) {
                        fdsOut[stored++] = received;
                    } else {
                        LibC.close(received);
                    }
                }
            }
            offset += MsgHdrDescriptor.cmsgAlign((int) cmsgLength);
        }
    }

    private static int accept(ByteBuffer dst, int n, boolean direct, Scratch s) {
        if (!direct && n > 0) {
            dst.put(dst.position(), s.copyBuffer(n), 0, n);
        }
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * @return the peer's pid, uid and gid as the kernel recorded them at connect time
     * @throws UnixException if not connected ({@code ENOTCONN}) or closed ({@code EBADF})
     */
    public PeerCredentials peerCredentials() throws UnixException {
        int fd = fd();
        if (fd < 0) {
            throw new UnixException("SO_PEERCRED", Errno.EBADF);
        }
        Scratch s = Scratch.current();
        s.memory.putInt(Scratch.SOCKLEN_OFFSET, MsgHdrDescriptor.UCRED_SIZE);
        if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PEERCRED, s.base + Scratch.UCRED_OFFSET,
                s.base + Scratch.SOCKLEN_OFFSET) != 0) {
            throw new UnixException("SO_PEERCRED", LibC.errno());
        }
        return new PeerCredentials(
                s.memory.getInt(Scratch.UCRED_OFFSET + MsgHdrDescriptor.UCRED_PID_OFFSET),
                s.memory.getInt(Scratch.UCRED_OFFSET + MsgHdrDescriptor.UCRED_UID_OFFSET),
                s.memory.getInt(Scratch.UCRED_OFFSET + MsgHdrDescriptor.UCRED_GID_OFFSET));
    }

    @Override
    public String toString() {
        return "UnixSeqpacketSocket[fd " + fd() + "]";
    }
}
