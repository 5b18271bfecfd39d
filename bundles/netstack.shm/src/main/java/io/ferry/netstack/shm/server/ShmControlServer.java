package io.ferry.netstack.shm.server;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.control.ControlMessageDecoder;
import io.ferry.netstack.shm.control.ControlMessageDescriptor;
import io.ferry.netstack.shm.control.ControlMessageEncoder;
import io.ferry.netstack.shm.control.PeerPolicy;
import io.ferry.unix.PeerCredentials;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixException;
import io.ferry.unix.UnixSeqpacketServer;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the shm control protocol (PROTOCOL.md, sections 1 and 2), up to and
 * including the HELLO stage: it prepares the socket directory, removes a stale socket file,
 * listens on an {@code AF_UNIX SOCK_SEQPACKET} socket, admits peers by {@code SO_PEERCRED}
 * ({@link PeerPolicy}), waits a bounded time for each client's HELLO, answers with HELLO_REPLY
 * and the client's own size-sealed memfd segment, and frees a client's socket and segment as
 * soon as it hangs up. LISTEN, CONNECT and CLOSE are answered with a non-fatal
 * {@code ERROR EOPNOTSUPP} for now.
 *
 * <p>Plain Java (no OSGi type): the DS component wraps it.
 *
 * <p><b>Threading.</b> Runs on one {@link EventCenter}; {@link #start} must be called on that
 * center's thread, and every callback runs there; nothing blocks. The counters may be read from
 * any thread (single writer, volatile). {@link #close()} may be called from any thread: off the
 * loop it hands the work to the center and waits (at most 10 s) for it; after the center has shut
 * down it frees everything on the calling thread.
 *
 * <p><b>Errors.</b> A refused peer gets a fatal {@code ERROR EACCES}, a malformed message a fatal
 * {@code ERROR EPROTO}, a silent client a fatal {@code ERROR ETIMEDOUT}; each closes only that
 * client. A failure to create a client's segment closes that client with a fatal
 * {@code ERROR ENOMEM}.
 */
public final class ShmControlServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShmControlServer.class.getName());

    /** Default time a connected client has to send its HELLO (PROTOCOL.md: 5 s). */
    public static final long HELLO_TIMEOUT_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Default segment size per client: 32 MiB. */
    public static final long SEGMENT_SIZE_DEFAULT = 32L << 20;
    /** Default most channels per client. */
    public static final int MAX_CHANNELS_DEFAULT = 64;
    /** Default ring capacity: 128 KiB. */
    public static final int RING_CAPACITY_DEFAULT = 128 << 10;

    private static final int ENOENT = 2; // not in io.ferry.api.net.Errno
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int RECEIVE_ROOM = ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1;
    private static final int MAX_RECEIVED_FDS = 4;

    /**
     * Server configuration.
     *
     * @param socketPath where to listen (see {@link #defaultSocketPath(int)})
     * @param policy who is admitted
     * @param helloTimeoutNanos how long a client may stay silent after connecting, &gt; 0
     * @param segmentSize bytes of each client's segment: a multiple of 64, large enough for one
     *     channel of capacity 64, at most {@link Integer#MAX_VALUE}
     * @param maxChannels most channels per client, &gt; 0
     * @param ringCapacity default ring capacity, 64..2^30
     */
    public record Config(Path socketPath, PeerPolicy policy, long helloTimeoutNanos, long segmentSize,
            int maxChannels, int ringCapacity) {
        public Config {
            Objects.requireNonNull(socketPath, "socketPath");
            Objects.requireNonNull(policy, "policy");
            if (helloTimeoutNanos <= 0) {
                throw new IllegalArgumentException("helloTimeoutNanos " + helloTimeoutNanos);
            }
            if (segmentSize < ControlMessageDescriptor.channelSize(ControlMessageDescriptor.MIN_RING_CAPACITY)
                    || segmentSize > Integer.MAX_VALUE
                    || segmentSize % ControlMessageDescriptor.CHANNEL_ALIGNMENT != 0) {
                throw new IllegalArgumentException("segmentSize " + segmentSize);
            }
            if (maxChannels <= 0) {
                throw new IllegalArgumentException("maxChannels " + maxChannels);
            }
            if (ringCapacity < ControlMessageDescriptor.MIN_RING_CAPACITY
                    || ringCapacity > ControlMessageDescriptor.MAX_RING_CAPACITY) {
                throw new IllegalArgumentException("ringCapacity " + ringCapacity);
            }
        }

        /** The defaults for {@code socketPath}, admitting only this process's uid. */
        public static Config defaults(Path socketPath) throws IOException {
            return new Config(socketPath, PeerPolicy.sameUidOnly(currentUid()), HELLO_TIMEOUT_NANOS_DEFAULT,
                    SEGMENT_SIZE_DEFAULT, MAX_CHANNELS_DEFAULT, RING_CAPACITY_DEFAULT);
        }

        /** @return a copy with another HELLO timeout. */
        public Config withHelloTimeoutNanos(long nanos) {
            return new Config(socketPath, policy, nanos, segmentSize, maxChannels, ringCapacity);
        }

        /** @return a copy with another policy. */
        public Config withPolicy(PeerPolicy newPolicy) {
            return new Config(socketPath, newPolicy, helloTimeoutNanos, segmentSize, maxChannels, ringCapacity);
        }

        /** @return a copy with another segment size. */
        public Config withSegmentSize(long size) {
            return new Config(socketPath, policy, helloTimeoutNanos, size, maxChannels, ringCapacity);
        }
    }

    private final EventCenter center;
    private final Config config;
    private final int serverPid;
    private final UnixSeqpacketServer listener;
    private final FileEvent acceptEvent;
    private final Map<UnixSeqpacketSocket, Client> clients = new LinkedHashMap<>();
    private final ControlMessageDecoder decoder = new ControlMessageDecoder();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_ROOM)
            .order(ControlMessageDescriptor.BYTE_ORDER);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(ControlMessageDescriptor.MAX_MESSAGE_LENGTH)
            .order(ControlMessageDescriptor.BYTE_ORDER);
    private final int[] receivedFds = new int[MAX_RECEIVED_FDS];
    private final int[] segmentFd = new int[1];
    private long segmentSequence;
    private boolean closed;

    private volatile long accepted;
    private volatile long refused;
    private volatile long malformed;
    private volatile long timedOut;
    private volatile long helloCompleted;
    private volatile int liveClients;

    private ShmControlServer(EventCenter center, Config config, UnixSeqpacketServer listener) throws IOException {
        this.center = center;
        this.config = config;
        this.serverPid = (int) ProcessHandle.current().pid();
        this.listener = listener;
        this.acceptEvent = center.createFileEvent(listener, EventMask.READABLE, this::onAcceptable);
    }

    /**
     * Prepares the directory, removes a stale socket file and starts listening.
     *
     * @throws IOException naming the path: the directory is not owned by this uid or is open to
     *     group/others, the path is not a socket, another server runs ({@code EADDRINUSE}), or the
     *     bind failed; nothing is left open
     * @throws IllegalStateException if not called on {@code center}'s thread
     */
    public static ShmControlServer start(EventCenter center, Config config) throws IOException {
        if (!center.inEventLoop()) {
            throw new IllegalStateException("start must run on " + center.name() + "'s thread");
        }
        Path path = config.socketPath().toAbsolutePath();
        prepareDirectory(path.getParent(), currentUid());
        removeStaleSocket(path);
        UnixSeqpacketServer listener = UnixSeqpacketServer.bind(UnixAddress.path(path));
        try {
            return new ShmControlServer(center, config, listener);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * @return {@code $XDG_RUNTIME_DIR/ferry/shm.sock} if that directory is set, exists and is owned
     *     by {@code uid}; else {@code /tmp/ferry-<uid>/shm.sock}
     */
    public static Path defaultSocketPath(int uid) {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            Path dir = Path.of(runtime);
            try {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid) {
                    return dir.resolve("ferry").resolve("shm.sock");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to /tmp
            }
        }
        return Path.of("/tmp", "ferry-" + Integer.toUnsignedString(uid), "shm.sock");
    }

    /** @return this process's effective uid (the owner of {@code /proc/self}). */
    public static int currentUid() throws IOException {
        return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** Creates {@code dir} 0700 if missing; else requires it owned by {@code uid}, a real directory, closed to group/others. */
    static void prepareDirectory(Path dir, int uid) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // checked below like any existing directory
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("shm socket directory " + dir + " is not a directory (or is a symbolic link)");
        }
        int owner = (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (int) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            throw new IOException("shm socket directory " + dir + " is owned by uid " + Integer.toUnsignedString(owner)
                    + ", not by the server's uid " + Integer.toUnsignedString(uid));
        }
        if ((mode & 077) != 0) {
            throw new IOException("shm socket directory " + dir + " has mode " + Integer.toOctalString(mode & 07777)
                    + ": it must not be accessible to group or others (0700)");
        }
    }

    /** PROTOCOL.md section 1: a socket file nobody answers on is a crashed server's; a live one means EADDRINUSE. */
    static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(path + " exists and is not a socket; not removing it");
        }
        UnixSeqpacketSocket probe = UnixSeqpacketSocket.open();
        int rc;
        try {
            rc = probe.connectTo(UnixAddress.path(path));
        } finally {
            probe.close();
        }
        if (rc == 0 || rc == -Errno.EAGAIN) {
            throw new UnixException("another shm server listens on " + path, Errno.EADDRINUSE);
        }
        if (rc == -Errno.ECONNREFUSED) {
            LOG.log(System.Logger.Level.INFO, "removing stale shm socket {0} left by a crashed server", path);
            Files.deleteIfExists(path);
            return;
        }
        if (rc != -ENOENT) {
            throw new UnixException("probing existing socket " + path, -rc);
        }
    }

    // ---- accepting ----

    private void onAcceptable(int readyMask) {
        if (center.isShutdown()) {
            close0(); // the center fires every live event once at shutdown: free everything now
            return;
        }
        while (!closed) {
            UnixSeqpacketSocket socket;
            try {
                socket = listener.accept();
            } catch (UnixException e) {
                LOG.log(System.Logger.Level.WARNING, "shm accept failed: {0}", e.getMessage());
                return;
            }
            if (socket == null) {
                return;
            }
            admit(socket);
        }
    }

    private void admit(UnixSeqpacketSocket socket) {
        PeerCredentials credentials;
        try {
            credentials = socket.peerCredentials();
        } catch (UnixException e) {
            socket.close();
            refused++;
            return;
        }
        PeerPolicy.Decision decision = config.policy().decide(credentials.uid(), credentials.gid());
        if (!decision.admitted()) {
            refused++;
            LOG.log(System.Logger.Level.WARNING, "shm peer pid {0}: {1}", credentials.pid(), decision.reason());
            sendError(socket, 0, Errno.EACCES, decision.reason());
            socket.close();
            return;
        }
        accepted++;
        Client client = new Client(socket, credentials);
        try {
            client.readEvent = center.createFileEvent(socket, EventMask.READABLE, client::onReadable);
        } catch (IOException e) {
            socket.close();
            return;
        }
        client.helloTimer = center.createTimeEvent(config.helloTimeoutNanos(), client::onHelloTimeout);
        clients.put(socket, client);
        liveClients = clients.size();
    }

    // ---- one client ----

    private final class Client {
        final UnixSeqpacketSocket socket;
        final PeerCredentials credentials;
        FileEvent readEvent;
        TimeEvent helloTimer;
        SharedMemory segment;
        boolean helloDone;

        Client(UnixSeqpacketSocket socket, PeerCredentials credentials) {
            this.socket = socket;
            this.credentials = credentials;
        }

        void onReadable(int readyMask) {
            // Bounded: a client cannot keep the loop here for more than a few messages per wake-up.
            for (int i = 0; i < 16 && socket.isOpen(); i++) {
                receiveBuffer.clear();
                int n = socket.receiveWithFds(receiveBuffer, receivedFds);
                if (n == -Errno.EAGAIN) {
                    return;
                }
                int fdCount = closeReceivedFds();
                if (n == 0 || (n < 0 && n != UnixSeqpacketSocket.TRUNCATED)) {
                    release(this); // hang-up (EOF, ECONNRESET...)
                    return;
                }
                int length = n == UnixSeqpacketSocket.TRUNCATED ? RECEIVE_ROOM : n;
                onMessage(length, fdCount);
            }
        }

        private void onMessage(int length, int fdCount) {
            int type = decoder.wrap(receiveBuffer, 0, length, fdCount);
            long requestId = length >= ControlMessageDescriptor.HEADER_LENGTH && length <= ControlMessageDescriptor.MAX_MESSAGE_LENGTH
                    ? receiveBuffer.getLong(ControlMessageDescriptor.REQUEST_ID_OFFSET) : 0;
            if (type < 0) {
                if (type == ControlMessageDescriptor.ERR_UNSUPPORTED_TYPE && helloDone) {
                    sendError(socket, requestId, Errno.EOPNOTSUPP, "message type not supported in version 1", false);
                    return;
                }
                protocolError(requestId, "malformed message: " + ControlMessageDescriptor.resultName(type));
                return;
            }
            if (!ControlMessageDescriptor.isClientToServer(type)) {
                protocolError(requestId, ControlMessageDescriptor.typeName(type) + " goes from server to client");
                return;
            }
            if (type == ControlMessageDescriptor.HELLO) {
                if (helloDone) {
                    protocolError(requestId, "second HELLO");
                } else {
                    onHello(requestId);
                }
                return;
            }
            if (!helloDone) {
                protocolError(requestId, ControlMessageDescriptor.typeName(type) + " before HELLO");
                return;
            }
            // LISTEN, CONNECT, CLOSE: the next stage of the server.
            sendError(socket, requestId, Errno.EOPNOTSUPP,
                    ControlMessageDescriptor.typeName(type) + " not implemented by this server yet", false);
        }

        private void onHello(long requestId) {
            helloTimer.cancel();
            int version = ControlMessageDescriptor.negotiate(decoder.helloMinVersion(), decoder.helloMaxVersion());
            if (version < 0) {
                int length = ControlMessageEncoder.helloReplyRefused(sendBuffer.clear(), 0, requestId,
                        ControlMessageDescriptor.EPROTONOSUPPORT, ControlMessageDescriptor.MAX_VERSION, serverPid);
                send(socket, length, null);
                release(this);
                return;
            }
            try {
                segment = SharedMemory.create("ferry-shm-" + serverPid + "-" + (++segmentSequence),
                        config.segmentSize(), true);
            } catch (UnixException e) {
                fatal(requestId, Errno.ENOMEM, "cannot create the segment: " + e.getMessage());
                return;
            }
            if (segment.sealSize() != 0) {
                fatal(requestId, Errno.ENOMEM, "cannot seal the segment's size");
                return;
            }
            int length = ControlMessageEncoder.helloReply(sendBuffer.clear(), 0, requestId, version, serverPid,
                    config.maxChannels(), config.segmentSize(), config.ringCapacity());
            segmentFd[0] = segment.fd();
            if (send(socket, length, segmentFd) < 0) {
                release(this);
                return;
            }
            helloDone = true;
            helloCompleted++;
        }

        void onHelloTimeout() {
            if (!helloDone && socket.isOpen()) {
                timedOut++;
                fatal(0, Errno.ETIMEDOUT, "no HELLO within " + TimeUnit.NANOSECONDS.toMillis(config.helloTimeoutNanos()) + " ms");
            }
        }

        private void protocolError(long requestId, String text) {
            malformed++;
            fatal(requestId, Errno.EPROTO, text);
        }

        private void fatal(long requestId, int code, String text) {
            sendError(socket, requestId, code, text, true);
            release(this);
        }
    }

    /** Closes descriptors that came with a client message (none is expected in HELLO/LISTEN/CONNECT/CLOSE). */
    private int closeReceivedFds() {
        int count = 0;
        for (int i = 0; i < receivedFds.length; i++) {
            if (receivedFds[i] >= 0) {
                count++;
                // Adopting hands the descriptor to an owner that closes it exactly once.
                UnixSeqpacketSocket.adopt(receivedFds[i]).close();
                receivedFds[i] = -1;
            }
        }
        return count;
    }

    private void sendError(UnixSeqpacketSocket socket, long requestId, int code, String text) {
        sendError(socket, requestId, code, text, true);
    }

    private void sendError(UnixSeqpacketSocket socket, long requestId, int code, String text, boolean fatal) {
        int length = ControlMessageEncoder.error(sendBuffer.clear(), 0, requestId, code, fatal, text);
        send(socket, length, null);
    }

    /**
     * Sends sendBuffer[0, length); a full queue or a gone peer is reported as a negative result.
     * Encoders are always given {@code sendBuffer.clear()}: their absolute puts obey the limit
     * this method sets, which a previous, shorter message would otherwise leave too small.
     */
    private int send(UnixSeqpacketSocket socket, int length, int[] fds) {
        if (length < 0) {
            return length;
        }
        sendBuffer.clear().limit(length);
        return fds == null ? socket.send(sendBuffer) : socket.sendWithFds(sendBuffer, fds);
    }

    /** Frees a client at once: event, timer, socket, segment. Idempotent. */
    private void release(Client client) {
        // Off the loop only after the center shut down, which has already dropped events and timers.
        if (center.inEventLoop()) {
            if (client.readEvent != null) {
                client.readEvent.cancel();
            }
            if (client.helloTimer != null) {
                client.helloTimer.cancel();
            }
        }
        client.socket.close();
        if (client.segment != null) {
            client.segment.close();
        }
        clients.remove(client.socket);
        liveClients = clients.size();
    }

    // ---- introspection, shutdown ----

    /** @return the socket path the server listens on. */
    public Path socketPath() {
        return config.socketPath();
    }

    /** @return connections admitted by the peer policy. */
    public long acceptedCount() {
        return accepted;
    }

    /** @return connections refused by the peer policy (or whose credentials could not be read). */
    public long refusedCount() {
        return refused;
    }

    /** @return clients closed for a protocol error. */
    public long malformedCount() {
        return malformed;
    }

    /** @return clients closed for sending no HELLO in time. */
    public long timedOutCount() {
        return timedOut;
    }

    /** @return HELLO exchanges that ended with a segment handed out. */
    public long helloCompletedCount() {
        return helloCompleted;
    }

    /** @return clients currently connected (with or without a finished HELLO). */
    public int liveClients() {
        return liveClients;
    }

    /** For tests, on the center's thread: the segments of the clients that finished HELLO. */
    List<SharedMemory> segments() {
        List<SharedMemory> result = new ArrayList<>();
        for (Client c : clients.values()) {
            if (c.segment != null) {
                result.add(c.segment);
            }
        }
        return result;
    }

    /**
     * Stops listening, closes every client and frees its segment, and removes the socket file.
     * Idempotent; any thread (see the class doc).
     */
    @Override
    public void close() {
        if (center.inEventLoop()) {
            close0();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        if (!center.execute(() -> {
            try {
                close0();
            } finally {
                done.countDown();
            }
        })) {
            close0(); // the loop is gone: nothing else touches this server any more
            return;
        }
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "shm server close did not finish on {0} within 10 s", center.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void close0() {
        if (closed) {
            return;
        }
        closed = true;
        if (center.inEventLoop()) {
            acceptEvent.cancel();
        }
        listener.close();
        for (Client c : new ArrayList<>(clients.values())) {
            release(c);
        }
    }

    @Override
    public String toString() {
        return "ShmControlServer[" + config.socketPath() + ", " + liveClients + " clients]";
    }
}
