package io.ferry.netstack.shm.client;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.control.ControlMessageDecoder;
import io.ferry.netstack.shm.control.ControlMessageDescriptor;
import io.ferry.netstack.shm.control.ControlMessageEncoder;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixException;
import io.ferry.unix.UnixSeqpacketSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * A client's control connection to an shm server, after a successful HELLO (PROTOCOL.md 2.4,
 * 2.5): the connected {@code SOCK_SEQPACKET} socket, the negotiated version and limits, and the
 * client's segment, mapped. Plain Java, usable outside OSGi.
 *
 * <p>{@link #connect} blocks the calling thread, bounded by its timeout (waits use
 * {@link Unix#poll}); it throws {@link UnixException} with the server's errno when the server
 * answers with {@code ERROR} ({@code EACCES}, {@code EPROTO}, {@code ETIMEDOUT}...) or refuses
 * the version ({@code EPROTONOSUPPORT}), {@code ETIMEDOUT} when no answer came in time,
 * {@code ECONNRESET} when the server hung up, and {@code EPROTO} for a reply that fails validation
 * or a segment that is not size-sealed; nothing stays open on failure.
 *
 * <p><b>Threading.</b> One thread at a time; {@link #close()} is idempotent and must not race
 * with users of {@link #segment()}'s buffers.
 */
public final class ShmClientConnection implements AutoCloseable {

    private final UnixSeqpacketSocket socket;
    private final SharedMemory segment;
    private final int version;
    private final int serverPid;
    private final long maxChannels;
    private final int ringCapacity;
    private final UUID clientUuid;

    private ShmClientConnection(UnixSeqpacketSocket socket, SharedMemory segment, int version, int serverPid,
            long maxChannels, int ringCapacity, UUID clientUuid) {
        this.socket = socket;
        this.segment = segment;
        this.version = version;
        this.serverPid = serverPid;
        this.maxChannels = maxChannels;
        this.ringCapacity = ringCapacity;
        this.clientUuid = clientUuid;
    }

    /** As {@link #connect(Path, UUID, long)} with a random UUID. */
    public static ShmClientConnection connect(Path socketPath, long timeoutNanos) throws UnixException {
        return connect(socketPath, UUID.randomUUID(), timeoutNanos);
    }

    /**
     * Connects, sends HELLO (request id 1, versions MIN..MAX of this library), waits for
     * HELLO_REPLY and maps the segment it carries.
     *
     * @param timeoutNanos the most the whole exchange may take, &gt; 0
     */
    public static ShmClientConnection connect(Path socketPath, UUID clientUuid, long timeoutNanos) throws UnixException {
        Objects.requireNonNull(socketPath, "socketPath");
        Objects.requireNonNull(clientUuid, "clientUuid");
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos " + timeoutNanos);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        UnixSeqpacketSocket socket = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath));
        try {
            return handshake(socket, clientUuid, deadline);
        } catch (UnixException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static ShmClientConnection handshake(UnixSeqpacketSocket socket, UUID uuid, long deadline)
            throws UnixException {
        final long requestId = 1;
        ByteBuffer out = ByteBuffer.allocateDirect(ControlMessageDescriptor.HELLO_LENGTH)
                .order(ControlMessageDescriptor.BYTE_ORDER);
        int length = ControlMessageEncoder.hello(out, 0, requestId, ControlMessageDescriptor.MIN_VERSION,
                ControlMessageDescriptor.MAX_VERSION, (int) ProcessHandle.current().pid(), uuid);
        out.limit(length);
        while (true) {
            int n = socket.send(out);
            if (n >= 0 || n == -Errno.EPIPE || n == -Errno.ECONNRESET) {
                break; // a server that refused us at once has hung up: its ERROR is still queued for us
            }
            if (n != -Errno.EAGAIN) {
                throw new UnixException("sending HELLO", -n);
            }
            await(socket, Unix.POLLOUT, deadline, "sending HELLO");
        }

        ByteBuffer in = ByteBuffer.allocateDirect(ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1)
                .order(ControlMessageDescriptor.BYTE_ORDER);
        int[] fds = new int[4];
        int n;
        while (true) {
            in.clear();
            n = socket.receiveWithFds(in, fds);
            if (n == -Errno.ECONNRESET) {
                // A server that closes with our HELLO unread (a refused peer) makes the kernel report
                // ECONNRESET once, ahead of the ERROR it queued for us: read that next.
                in.clear();
                n = socket.receiveWithFds(in, fds);
                if (n == -Errno.EAGAIN) {
                    n = -Errno.ECONNRESET;
                }
            }
            if (n != -Errno.EAGAIN) {
                break;
            }
            await(socket, Unix.POLLIN, deadline, "waiting for HELLO_REPLY");
        }
        int fdCount = 0;
        for (int fd : fds) {
            fdCount += fd >= 0 ? 1 : 0;
        }
        try {
            if (n == 0) {
                throw new UnixException("server hung up before HELLO_REPLY", Errno.ECONNRESET);
            }
            if (n < 0 && n != UnixSeqpacketSocket.TRUNCATED) {
                throw new UnixException("receiving HELLO_REPLY", -n);
            }
            ControlMessageDecoder decoder = new ControlMessageDecoder();
            int received = n == UnixSeqpacketSocket.TRUNCATED ? ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1 : n;
            int type = decoder.wrap(in, 0, received, fdCount);
            if (type == ControlMessageDescriptor.ERROR) {
                throw new UnixException("server refused: " + errorText(in, decoder), errorCode(in));
            }
            if (type != ControlMessageDescriptor.HELLO_REPLY || decoder.requestId() != requestId) {
                throw new UnixException("invalid answer to HELLO: "
                        + (type < 0 ? ControlMessageDescriptor.resultName(type) : ControlMessageDescriptor.typeName(type)),
                        Errno.EPROTO);
            }
            int status = decoder.helloReplyStatus();
            if (status != 0) {
                throw new UnixException("server refused HELLO (version " + decoder.helloReplyVersion() + ")", status);
            }
            long segmentSize = decoder.helloReplySegmentSize();
            if (segmentSize > Integer.MAX_VALUE) {
                throw new UnixException("segment of " + segmentSize + " bytes is too large to map", Errno.EPROTO);
            }
            int segmentFd = fds[0];
            fds[0] = -1; // SharedMemory.map owns it from here, also on failure
            SharedMemory segment = SharedMemory.map(segmentFd, segmentSize);
            if (!segment.isSizeSealed()) {
                segment.close();
                throw new UnixException("segment is not sealed against shrinking and growing", Errno.EPROTO);
            }
            return new ShmClientConnection(socket, segment, decoder.helloReplyVersion(), decoder.helloReplyServerPid(),
                    decoder.helloReplyMaxChannels(), decoder.helloReplyRingCapacity(), uuid);
        } finally {
            for (int fd : fds) {
                if (fd >= 0) {
                    UnixSeqpacketSocket.adopt(fd).close(); // an owner that closes it once
                }
            }
        }
    }

    private static void await(UnixSeqpacketSocket socket, int events, long deadline, String what) throws UnixException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new UnixException("timed out " + what, Errno.ETIMEDOUT);
        }
        int r = Unix.poll(socket.fd(), events, left);
        if (r < 0) {
            throw new UnixException(what, -r);
        }
        if (r == 0) {
            throw new UnixException("timed out " + what, Errno.ETIMEDOUT);
        }
    }

    private static int errorCode(ByteBuffer in) {
        return in.getInt(ControlMessageDescriptor.ERROR_CODE_OFFSET);
    }

    private static String errorText(ByteBuffer in, ControlMessageDecoder decoder) {
        int n = in.getShort(ControlMessageDescriptor.ERROR_TEXT_LENGTH_OFFSET) & 0xFFFF;
        byte[] text = new byte[n];
        in.get(ControlMessageDescriptor.ERROR_TEXT_OFFSET, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** @return the control socket (for the next protocol stages); owned by this connection. */
    public UnixSeqpacketSocket socket() {
        return socket;
    }

    /** @return the client's mapped segment; owned by this connection, unmapped by {@link #close()}. */
    public SharedMemory segment() {
        return segment;
    }

    /** @return the negotiated protocol version. */
    public int version() {
        return version;
    }

    /** @return the server's pid as it reported it. */
    public int serverPid() {
        return serverPid;
    }

    /** @return the most channels this client may hold open at once. */
    public long maxChannels() {
        return maxChannels;
    }

    /** @return the segment's size in bytes. */
    public long segmentSize() {
        return segment.size();
    }

    /** @return the server's default ring capacity. */
    public int ringCapacity() {
        return ringCapacity;
    }

    /** @return the UUID sent in HELLO. */
    public UUID clientUuid() {
        return clientUuid;
    }

    /** Closes the socket (the server sees the hang-up and frees its side) and unmaps the segment. Idempotent. */
    @Override
    public void close() {
        socket.close();
        segment.close();
    }

    @Override
    public String toString() {
        return "ShmClientConnection[server pid " + serverPid + ", version " + version + ", " + segment + "]";
    }
}
