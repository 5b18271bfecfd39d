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
import io.ferry.netstack.shm.channel.StreamChannelDescriptor;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import io.ferry.netstack.shm.dgram.DatagramEndpoint;
import io.ferry.netstack.shm.dgram.SourceAddress;
import io.ferry.unix.EventFd;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the shm control protocol (PROTOCOL.md, sections 1, 2, 6 and 7): it prepares
 * the socket directory, removes a stale socket file, listens on an {@code AF_UNIX SOCK_SEQPACKET}
 * socket, admits peers by {@code SO_PEERCRED} ({@link PeerPolicy}), waits a bounded time for each
 * client's HELLO, answers with HELLO_REPLY; then it keeps the name table (LISTEN, listeners of
 * clients and of the node, {@link NodeListener}), connects (CONNECT, {@link #connectFromNode}),
 * creates every channel in its own size-sealed memfd with four eventfds and hands each side its
 * descriptors with CHANNEL_READY (after an ACCEPT for the accepting client), and runs the CLOSE
 * exchange. A client that hangs up loses its listeners; each of its channels is closed on its
 * behalf ({@code ERROR = ECONNRESET} in its side's line, the survivor's doorbells rung, a
 * {@code CLOSE ECONNRESET} to a surviving client); the channel's memory and eventfds are freed
 * once both sides are gone.
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
    /**
     * Default size of the per-client HELLO segment: 4 KiB. Channels live in their own memfds
     * (PROTOCOL.md 2.9); the segment is reserved for later use and carries nothing in version 1.
     */
    public static final long SEGMENT_SIZE_DEFAULT = 4096;
    /** Default most channels per client. */
    public static final int MAX_CHANNELS_DEFAULT = 64;
    /** Default ring capacity: 128 KiB. */
    public static final int RING_CAPACITY_DEFAULT = 128 << 10;

    private static final int ENOENT = 2; // not in io.ferry.api.net.Errno
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int RECEIVE_ROOM = ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1;
    private static final int MAX_RECEIVED_FDS = 4;
    /** Prefix of names reserved for listeners inside the node (PROTOCOL.md 2.6). */
    public static final String NODE_PREFIX = "node/";

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

        /** @return a copy with another per-client channel limit. */
        public Config withMaxChannels(int channels) {
            return new Config(socketPath, policy, helloTimeoutNanos, segmentSize, channels, ringCapacity);
        }

        /** @return a copy with another default ring capacity. */
        public Config withRingCapacity(int capacity) {
            return new Config(socketPath, policy, helloTimeoutNanos, segmentSize, maxChannels, capacity);
        }
    }

    private final EventCenter center;
    private final Config config;
    private final int serverPid;
    private final UnixSeqpacketServer listener;
    private final FileEvent acceptEvent;
    private final Map<UnixSeqpacketSocket, Client> clients = new LinkedHashMap<>();
    /** Listener names: {@link ClientListener} or {@link NodeListener}. Read from any thread; changed on the center, or by the node. */
    private final ConcurrentHashMap<String, Object> names = new ConcurrentHashMap<>();
    /** Bound datagram endpoints by name (their own namespace); server thread only. */
    private final Map<String, DatagramPort> datagramPorts = new HashMap<>();
    private final ByteBuffer datagramScratch = ByteBuffer.allocateDirect(0xFFFF);
    private final SourceAddress datagramDestination = new SourceAddress();
    /** The same ports keyed by their name's bytes, so that routing looks names up without allocating. */
    private final Map<NameKey, DatagramPort> datagramPortsByBytes = new HashMap<>();
    private final NameKey datagramLookup = new NameKey(new byte[256], 0);
    private volatile long datagramsRouted;
    private volatile long datagramsDropped;
    private volatile long datagramEndpointsBroken;
    private final Set<ServerChannel> channels = new LinkedHashSet<>();
    private final int[] channelFds = new int[ControlMessageDescriptor.CHANNEL_FD_COUNT];
    private final ControlMessageDecoder decoder = new ControlMessageDecoder();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_ROOM)
            .order(ControlMessageDescriptor.BYTE_ORDER);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(ControlMessageDescriptor.MAX_MESSAGE_LENGTH)
            .order(ControlMessageDescriptor.BYTE_ORDER);
    private final int[] receivedFds = new int[MAX_RECEIVED_FDS];
    private final int[] segmentFd = new int[1];
    private long segmentSequence;
    private long clientSequence;
    private long channelSequence;
    private boolean closed;

    private volatile long accepted;
    private volatile long refused;
    private volatile long malformed;
    private volatile long timedOut;
    private volatile long helloCompleted;
    private volatile int liveClients;
    private volatile int liveChannels;
    private volatile long channelsOpened;
    private volatile long channelsReset;
    private volatile long refusedConnects;
    private volatile long controlOverflows;

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
        Client client = new Client(socket, credentials, ++clientSequence);
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
        final long serial;
        FileEvent readEvent;
        TimeEvent helloTimer;
        SharedMemory segment;
        boolean helloDone;
        int clientPid;
        UUID uuid;
        long nextChannelId;
        long nextListenerId;
        /** This client's open channel sides, by its channel id. */
        final Map<Long, ServerChannel.Side> sides = new HashMap<>();
        final Map<Long, ClientListener> listeners = new HashMap<>();

        Client(UnixSeqpacketSocket socket, PeerCredentials credentials, long serial) {
            this.socket = socket;
            this.credentials = credentials;
            this.serial = serial;
        }

        void onReadable(int readyMask) {
            if (center.isShutdown()) {
                release(this, Errno.ESHUTDOWN);
                return;
            }
            // Bounded: a client cannot keep the loop here for more than a few messages per wake-up.
            for (int i = 0; i < 16 && socket.isOpen(); i++) {
                receiveBuffer.clear();
                int n = socket.receiveWithFds(receiveBuffer, receivedFds);
                if (n == -Errno.EAGAIN) {
                    return;
                }
                int fdCount = closeReceivedFds();
                if (n == 0 || (n < 0 && n != UnixSeqpacketSocket.TRUNCATED)) {
                    release(this, Errno.ECONNRESET); // hang-up (EOF, ECONNRESET...)
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
                    sendError(this, requestId, Errno.EOPNOTSUPP, "message type not supported in version 1", false);
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
            switch (type) {
                case ControlMessageDescriptor.LISTEN -> onListen(this, requestId, decoder.listenAddress(), decoder.listenBacklog());
                case ControlMessageDescriptor.CONNECT -> onConnect(this, requestId, decoder.connectAddress(),
                        decoder.connectRingCapacity());
                case ControlMessageDescriptor.DGRAM_OPEN -> onDgramOpen(this, requestId, decoder.connectAddress(),
                        decoder.connectRingCapacity());
                case ControlMessageDescriptor.CLOSE -> onClose(this, requestId, decoder.closeId(), decoder.closeKind(),
                        decoder.closeReason());
                default -> protocolError(requestId, "unexpected " + ControlMessageDescriptor.typeName(type));
            }
        }

        private void onHello(long requestId) {
            helloTimer.cancel();
            clientPid = decoder.helloClientPid();
            uuid = decoder.helloUuid();
            int version = ControlMessageDescriptor.negotiate(decoder.helloMinVersion(), decoder.helloMaxVersion());
            if (version < 0) {
                int length = ControlMessageEncoder.helloReplyRefused(sendBuffer.clear(), 0, requestId,
                        ControlMessageDescriptor.EPROTONOSUPPORT, ControlMessageDescriptor.MAX_VERSION, serverPid);
                send(socket, length, null);
                release(this, 0);
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
            if (sendTo(this, length, segmentFd) < 0) {
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
            LOG.log(System.Logger.Level.WARNING, "shm client pid {0}: {1}; closing it", credentials.pid(), text);
            fatal(requestId, Errno.EPROTO, text);
        }

        private void fatal(long requestId, int code, String text) {
            sendError(this, requestId, code, text, true);
            release(this, Errno.ECONNRESET);
        }

        /** The address a connection made by this client carries: {@code pid:<pid>/<channel id>}. */
        String connectorAddress(long channelId) {
            return "pid:" + credentials.pid() + "/" + channelId;
        }

        @Override
        public String toString() {
            return "client " + serial + " (pid " + credentials.pid() + ", uid " + Integer.toUnsignedString(credentials.uid()) + ")";
        }
    }

    /** A listener owned by a client. */
    private record ClientListener(Client client, long id, String name, int backlog) {
    }

    // ---- names ----

    private static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            return "empty name";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > ControlMessageDescriptor.MAX_ADDRESS_LENGTH) {
            return "name longer than " + ControlMessageDescriptor.MAX_ADDRESS_LENGTH + " bytes";
        }
        if (name.indexOf('\0') >= 0) {
            return "NUL in name";
        }
        return null;
    }

    private void onListen(Client client, long requestId, String name, int backlog) {
        String bad = checkName(name);
        if (bad != null) {
            sendError(client, requestId, Errno.EINVAL, bad, false);
            return;
        }
        if (name.startsWith(NODE_PREFIX) || name.startsWith("pid:")) {
            sendError(client, requestId, Errno.EACCES, "names beginning node/ or pid: are reserved", false);
            return;
        }
        if (client.listeners.size() >= config.maxChannels()) {
            sendError(client, requestId, Errno.EMFILE, "too many listeners (" + config.maxChannels() + ")", false);
            return;
        }
        long id = ++client.nextListenerId;
        ClientListener listener = new ClientListener(client, id, name, backlog);
        if (names.putIfAbsent(name, listener) != null) {
            sendError(client, requestId, Errno.EADDRINUSE, "name " + name + " is taken", false);
            return;
        }
        client.listeners.put(id, listener);
        int length = ControlMessageEncoder.listenReply(sendBuffer.clear(), 0, requestId, id);
        sendTo(client, length, null);
    }

    /**
     * Registers a listener inside the node. Any thread.
     *
     * @param name must begin with {@value #NODE_PREFIX}
     * @return false if the name is taken
     * @throws IllegalArgumentException for a bad name
     */
    public boolean registerNodeListener(String name, NodeListener listener) {
        String bad = checkName(name);
        if (bad != null || !name.startsWith(NODE_PREFIX)) {
            throw new IllegalArgumentException("bad node listener name '" + name + "': "
                    + (bad != null ? bad : "must begin with " + NODE_PREFIX));
        }
        return names.putIfAbsent(name, Objects.requireNonNull(listener, "listener")) == null;
    }

    /** Removes a node listener registered under {@code name}. Any thread; idempotent. */
    public void unregisterNodeListener(String name, NodeListener listener) {
        names.remove(name, listener);
    }

    /** @return the node listener registered under {@code name}, or null (none, or a client's). Any thread. */
    public NodeListener nodeListener(String name) {
        Object o = names.get(name);
        return o instanceof NodeListener ? (NodeListener) o : null;
    }

    /** @return true if anything (a client's or the node's listener) is registered under {@code name}. Any thread. */
    public boolean isNameTaken(String name) {
        return names.containsKey(name);
    }

    // ---- connecting ----

    private void onConnect(Client client, long requestId, String name, int requestedCapacity) {
        int capacity = requestedCapacity == 0 ? config.ringCapacity() : requestedCapacity;
        if (capacity < ControlMessageDescriptor.MIN_RING_CAPACITY || capacity > ControlMessageDescriptor.MAX_RING_CAPACITY) {
            sendError(client, requestId, Errno.EINVAL, "ring capacity " + capacity + " out of range", false);
            return;
        }
        if (client.sides.size() >= config.maxChannels()) {
            sendError(client, requestId, Errno.EMFILE, "MAX_CHANNELS (" + config.maxChannels() + ") reached", false);
            return;
        }
        Object target = name == null ? null : names.get(name);
        if (target == null) {
            refusedConnects++;
            sendError(client, requestId, Errno.ECONNREFUSED, "nobody listens on " + name, false);
            return;
        }
        ServerChannel channel;
        try {
            channel = ServerChannel.create(capacity, "ferry-shm-" + serverPid + "-ch" + (++channelSequence));
        } catch (UnixException | RuntimeException e) {
            sendError(client, requestId, Errno.ENOMEM, "cannot create the channel: " + e.getMessage(), false);
            return;
        }
        long connectorId = ++client.nextChannelId;
        String connectorAddress = client.connectorAddress(connectorId);
        if (target instanceof ClientListener listener) {
            Client acceptor = listener.client();
            if (!acceptor.socket.isOpen() || acceptor.sides.size() >= config.maxChannels()) {
                channel.free();
                refusedConnects++;
                sendError(client, requestId, Errno.ECONNREFUSED, "listener " + name + " accepts no more connections", false);
                return;
            }
            adopt(channel);
            channel.a = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_A, client, connectorId);
            client.sides.put(connectorId, channel.a);
            long acceptorId = ++acceptor.nextChannelId;
            channel.b = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_B, acceptor, acceptorId);
            acceptor.sides.put(acceptorId, channel.b);
            if (sendChannelReady(client, requestId, channel.a) < 0) {
                return; // the connector was released, its side closed on its behalf
            }
            sendAcceptAndChannelReady(listener, channel.b, client.credentials.pid(), connectorAddress);
            return;
        }
        NodeListener nodeListener = (NodeListener) target;
        adopt(channel);
        channel.a = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_A, client, connectorId);
        client.sides.put(connectorId, channel.a);
        channel.b = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_B, null, 0);
        StreamChannelEnd end;
        try {
            end = attachNodeEnd(channel.b);
        } catch (RuntimeException e) {
            closeSide(channel.b, 0);
            client.sides.remove(connectorId);
            channel.a.open = false;
            maybeFree(channel);
            sendError(client, requestId, Errno.ENOMEM, "cannot attach the node's end: " + e.getMessage(), false);
            return;
        }
        if (!nodeListener.offer(end, connectorAddress, client.credentials.pid())) {
            end.close(); // closes side B through its owner
            client.sides.remove(connectorId);
            channel.a.open = false;
            maybeFree(channel);
            refusedConnects++;
            sendError(client, requestId, Errno.ECONNREFUSED, "listener " + name + ": backlog full or closing", false);
            return;
        }
        sendChannelReady(client, requestId, channel.a);
    }

    /**
     * Connects from inside the node to {@code name} (a client's listener) on the server's thread
     * and calls {@code done} there with the node's end (side A) and 0, or null and a negative
     * errno ({@code -ECONNREFUSED}, {@code -ENOMEM}, {@code -ESHUTDOWN}). Any thread. A node
     * listener's name is not handled here: the stack pairs node ends in process.
     *
     * @param localAddress the connecting end's address the acceptor is told ({@code node:<n>})
     */
    public void connectFromNode(String name, int ringCapacity, String localAddress,
            BiConsumer<StreamChannelEnd, Integer> done) {
        if (!center.execute(() -> connectFromNode0(name, ringCapacity, localAddress, done))) {
            done.accept(null, -Errno.ESHUTDOWN);
        }
    }

    private void connectFromNode0(String name, int ringCapacity, String localAddress,
            BiConsumer<StreamChannelEnd, Integer> done) {
        if (closed || center.isShutdown()) {
            done.accept(null, -Errno.ESHUTDOWN);
            return;
        }
        int capacity = ringCapacity == 0 ? config.ringCapacity() : ringCapacity;
        Object target = names.get(name);
        if (!(target instanceof ClientListener listener) || !listener.client().socket.isOpen()
                || listener.client().sides.size() >= config.maxChannels()) {
            refusedConnects++;
            done.accept(null, -Errno.ECONNREFUSED);
            return;
        }
        ServerChannel channel;
        try {
            channel = ServerChannel.create(capacity, "ferry-shm-" + serverPid + "-ch" + (++channelSequence));
        } catch (UnixException | RuntimeException e) {
            done.accept(null, -Errno.ENOMEM);
            return;
        }
        adopt(channel);
        channel.a = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_A, null, 0);
        Client acceptor = listener.client();
        long acceptorId = ++acceptor.nextChannelId;
        channel.b = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_B, acceptor, acceptorId);
        acceptor.sides.put(acceptorId, channel.b);
        StreamChannelEnd end = attachNodeEnd(channel.a);
        sendAcceptAndChannelReady(listener, channel.b, serverPid, localAddress);
        done.accept(end, 0);
    }

    // ---- datagram endpoints (PROTOCOL.md section 8) ----

    /** A name's UTF-8 bytes as a hash key; {@link #datagramLookup} is one reused for lookups. */
    private static final class NameKey {
        final byte[] bytes;
        int length;
        int hash;

        NameKey(byte[] bytes, int length) {
            this.bytes = bytes;
            set(length);
        }

        NameKey set(int length) {
            this.length = length;
            int h = 1;
            for (int i = 0; i < length; i++) {
                h = 31 * h + bytes[i];
            }
            hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NameKey k && java.util.Arrays.equals(bytes, 0, length, k.bytes, 0, k.length);
        }
    }

    /** A bound datagram endpoint: the client drives side A, the server side B (through {@link #endpoint}). */
    private final class DatagramPort {
        final String name;
        final byte[] nameBytes;
        final DatagramEndpoint endpoint;
        FileEvent event;
        boolean open = true;

        DatagramPort(String name, DatagramEndpoint endpoint) {
            this.name = name;
            this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
            this.endpoint = endpoint;
        }
    }

    private void onDgramOpen(Client client, long requestId, String name, int requestedCapacity) {
        String bad = checkName(name);
        if (bad != null) {
            sendError(client, requestId, Errno.EINVAL, bad, false);
            return;
        }
        if (name.startsWith(NODE_PREFIX) || name.startsWith("pid:")) {
            sendError(client, requestId, Errno.EACCES, "names beginning node/ or pid: are reserved", false);
            return;
        }
        int capacity = requestedCapacity == 0 ? config.ringCapacity() : requestedCapacity;
        if (capacity < ControlMessageDescriptor.MIN_RING_CAPACITY || capacity > ControlMessageDescriptor.MAX_RING_CAPACITY) {
            sendError(client, requestId, Errno.EINVAL, "ring capacity " + capacity + " out of range", false);
            return;
        }
        if (client.sides.size() >= config.maxChannels()) {
            sendError(client, requestId, Errno.EMFILE, "MAX_CHANNELS (" + config.maxChannels() + ") reached", false);
            return;
        }
        if (datagramPorts.containsKey(name)) {
            sendError(client, requestId, Errno.EADDRINUSE, "datagram name " + name + " is taken", false);
            return;
        }
        ServerChannel channel;
        try {
            channel = ServerChannel.create(capacity, "ferry-shm-" + serverPid + "-dg" + (++channelSequence));
        } catch (UnixException | RuntimeException e) {
            sendError(client, requestId, Errno.ENOMEM, "cannot create the endpoint: " + e.getMessage(), false);
            return;
        }
        adopt(channel);
        long id = ++client.nextChannelId;
        channel.a = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_A, client, id);
        client.sides.put(id, channel.a);
        channel.b = new ServerChannel.Side(channel, StreamChannelDescriptor.SIDE_B, null, 0);
        DatagramPort port;
        try {
            port = new DatagramPort(name, new DatagramEndpoint(attachNodeEnd(channel.b)));
            DatagramPort p = port;
            port.event = center.createFileEvent(io.ferry.api.event.Pollable.ofFd(port.endpoint.end().readFd()),
                    EventMask.READABLE, m -> drainDatagrams(p));
        } catch (IOException | RuntimeException e) {
            closeSide(channel.b, 0);
            client.sides.remove(id);
            channel.a.open = false;
            maybeFree(channel);
            sendError(client, requestId, Errno.ENOMEM, "cannot serve the endpoint: " + e.getMessage(), false);
            return;
        }
        datagramPorts.put(name, port);
        datagramPortsByBytes.put(new NameKey(port.nameBytes, port.nameBytes.length), port);
        int length = ControlMessageEncoder.dgramReady(sendBuffer.clear(), 0, requestId, id, channel.a.side, 0,
                channel.ringCapacity);
        channel.fillFds(channel.a.side, channelFds);
        if (sendTo(client, length, channelFds) >= 0) {
            drainDatagrams(port); // nothing yet; leaves the end announced as waiting for data
        }
    }

    /**
     * Routes what the endpoint's client sent: each record's destination is looked up among the
     * bound endpoints and the datagram copied, with this endpoint's name as its source, into the
     * destination's incoming ring if it fits now; otherwise it is dropped and counted (UDP
     * semantics). A hostile record closes this endpoint only. Server thread.
     */
    private void drainDatagrams(DatagramPort port) {
        for (int i = 0; i < 256 && port.open; i++) {
            datagramScratch.clear();
            int n = port.endpoint.receive(datagramScratch, datagramDestination, 0);
            if (n == -Errno.EAGAIN) {
                return;
            }
            if (n < 0) {
                if (n == -Errno.EPROTO) {
                    datagramEndpointsBroken++;
                    LOG.log(System.Logger.Level.WARNING, "shm datagram endpoint {0}: invalid record descriptor in shared"
                            + " memory; closing that endpoint", port.name);
                }
                closeDatagramPort(port);
                return;
            }
            DatagramPort to = datagramPortsByBytes.get(datagramLookup.set(datagramDestination.copyTo(datagramLookup.bytes)));
            datagramScratch.flip();
            if (to == null || !to.open
                    || to.endpoint.send(port.nameBytes, port.nameBytes.length, datagramScratch, 0) < 0) {
                datagramsDropped++;
            } else {
                datagramsRouted++;
            }
        }
        if (port.open) {
            center.execute(() -> drainDatagrams(port)); // budget spent: continue after other work
        }
    }

    private void closeDatagramPort(DatagramPort port) {
        if (!port.open) {
            return;
        }
        port.open = false;
        datagramPorts.remove(port.name, port);
        datagramPortsByBytes.remove(new NameKey(port.nameBytes, port.nameBytes.length), port);
        if (port.event != null && center.inEventLoop()) {
            port.event.cancel();
        }
        port.endpoint.close(); // the node side: freed with the client's side (nodeSideClosed)
    }

    /** @return datagrams routed to a bound endpoint. */
    public long datagramsRouted() {
        return datagramsRouted;
    }

    /** @return datagrams dropped: unknown destination, or its incoming ring full. */
    public long datagramsDropped() {
        return datagramsDropped;
    }

    /** @return datagram endpoints closed because of a hostile record descriptor. */
    public long datagramEndpointsBroken() {
        return datagramEndpointsBroken;
    }

    /** @return bound datagram endpoints (approximate from other threads). */
    public int datagramEndpoints() {
        return datagramPorts.size();
    }

    private void adopt(ServerChannel channel) {
        channels.add(channel);
        channelsOpened++;
        liveChannels = channels.size();
    }

    /** Attaches the node's end of {@code side} to the server's own mapping; closing it closes the side. */
    private StreamChannelEnd attachNodeEnd(ServerChannel.Side side) {
        ServerChannel channel = side.channel;
        return StreamChannelEnd.attach(channel.memory.buffer(), side.side, channel.doorbells(side.side), () -> {
            if (center.inEventLoop()) {
                nodeSideClosed(side);
            } else if (!center.execute(() -> nodeSideClosed(side))) {
                synchronized (this) {
                    nodeSideClosed(side); // the loop is gone: close0 has run or runs under this lock
                }
            }
        });
    }

    private void nodeSideClosed(ServerChannel.Side side) {
        if (!side.open) {
            return;
        }
        side.open = false;
        ServerChannel.Side other = side.channel.other(side);
        if (other.open && other.client != null) {
            sendCloseNotice(other, 0);
        }
        maybeFree(side.channel);
    }

    private int sendChannelReady(Client client, long requestId, ServerChannel.Side side) {
        int length = ControlMessageEncoder.channelReady(sendBuffer.clear(), 0, requestId, side.channelId, side.side, 0,
                side.channel.ringCapacity);
        side.channel.fillFds(side.side, channelFds);
        return sendTo(client, length, channelFds);
    }

    private void sendAcceptAndChannelReady(ClientListener listener, ServerChannel.Side side, int peerPid, String peerAddress) {
        Client acceptor = listener.client();
        int length = ControlMessageEncoder.accept(sendBuffer.clear(), 0, listener.id(), side.channelId, peerPid, peerAddress);
        if (sendTo(acceptor, length, null) < 0) {
            return;
        }
        sendChannelReady(acceptor, 0, side);
    }

    // ---- closing ----

    private void onClose(Client client, long requestId, long id, int kind, int reason) {
        if (kind == ControlMessageDescriptor.KIND_LISTENER) {
            ClientListener listener = client.listeners.remove(id);
            if (listener == null) {
                sendError(client, requestId, Errno.EBADF, "no listener " + id, false);
                return;
            }
            names.remove(listener.name(), listener);
        } else {
            ServerChannel.Side side = client.sides.remove(id);
            if (side == null) {
                sendError(client, requestId, Errno.EBADF, "no channel " + id, false);
                return;
            }
            if (reason == Errno.EPROTO) {
                LOG.log(System.Logger.Level.WARNING, "shm {0} closed channel {1}: it found the peer''s indexes corrupt",
                        client, id);
            }
            side.open = false;
            ServerChannel.Side other = side.channel.other(side);
            if (other.open && other.client != null) {
                sendCloseNotice(other, reason == Errno.EPROTO ? Errno.EPROTO : 0);
            }
            maybeFree(side.channel);
        }
        int length = ControlMessageEncoder.close(sendBuffer.clear(), 0, requestId, id, kind, 0);
        sendTo(client, length, null);
    }

    private void sendCloseNotice(ServerChannel.Side side, int reason) {
        if (side.closeNoticeSent) {
            return;
        }
        side.closeNoticeSent = true;
        int length = ControlMessageEncoder.close(sendBuffer.clear(), 0, 0, side.channelId,
                ControlMessageDescriptor.KIND_CHANNEL, reason);
        sendTo((Client) side.client, length, null);
    }

    /** Closes a side whose owner is gone without saying so: flags in its line, the survivor woken. */
    private void closeSide(ServerChannel.Side side, int error) {
        if (!side.open) {
            return;
        }
        side.open = false;
        ServerChannel channel = side.channel;
        if (error != 0) {
            // Counted before the survivor is woken: whoever sees the wake-up also sees the count.
            channelsReset++;
            StreamChannelDescriptor.markSideGone(channel.memory.buffer(), side.side, error);
            channel.ringSurvivorOf(side.side);
        }
        ServerChannel.Side other = channel.other(side);
        if (other.open && other.client != null && ((Client) other.client).socket.isOpen()) {
            sendCloseNotice(other, error);
        }
        maybeFree(channel);
    }

    private void maybeFree(ServerChannel channel) {
        if ((channel.a == null || !channel.a.open) && (channel.b == null || !channel.b.open)) {
            if (channels.remove(channel)) {
                channel.free();
                liveChannels = channels.size();
            }
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
        int length = ControlMessageEncoder.error(sendBuffer.clear(), 0, requestId, code, true, text);
        send(socket, length, null);
    }

    private void sendError(Client client, long requestId, int code, String text, boolean fatal) {
        int length = ControlMessageEncoder.error(sendBuffer.clear(), 0, requestId, code, fatal, text);
        if (fatal) {
            send(client.socket, length, null); // the caller releases the client next
        } else {
            sendTo(client, length, null);
        }
    }

    /**
     * Sends sendBuffer[0, length) to a client. The control queue is bounded by the socket's send
     * buffer: a client that lets it fill (it does not read its control socket) is closed, as is one
     * that is gone; both return a negative result, and the client is released.
     */
    private int sendTo(Client client, int length, int[] fds) {
        if (!client.socket.isOpen()) {
            return -Errno.EBADF;
        }
        int n = send(client.socket, length, fds);
        if (n == -Errno.EAGAIN) {
            controlOverflows++;
            LOG.log(System.Logger.Level.WARNING, "shm {0} does not read its control socket (queue full); closing it", client);
            release(client, Errno.ECONNRESET);
        } else if (n < 0) {
            release(client, Errno.ECONNRESET);
        }
        return n;
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

    /**
     * Frees a client at once: event, timer, socket, segment, listeners; each of its channels is
     * closed on its behalf with {@code reason} (0 when it never had any). Idempotent.
     */
    private void release(Client client, int reason) {
        if (!clients.containsKey(client.socket) && !client.socket.isOpen()) {
            return;
        }
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
        clients.remove(client.socket);
        for (ClientListener l : client.listeners.values()) {
            names.remove(l.name(), l);
        }
        client.listeners.clear();
        List<ServerChannel.Side> sides = new ArrayList<>(client.sides.values());
        client.sides.clear();
        for (ServerChannel.Side side : sides) {
            closeSide(side, reason == 0 ? Errno.ECONNRESET : reason);
        }
        if (client.segment != null) {
            client.segment.close();
        }
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

    /** @return channels whose memory is still held (at least one side open). */
    public int liveChannels() {
        return liveChannels;
    }

    /** @return channels created since start. */
    public long channelsOpenedCount() {
        return channelsOpened;
    }

    /** @return channel sides closed on behalf of a client that died (or was closed by the server). */
    public long channelsResetCount() {
        return channelsReset;
    }

    /** @return CONNECTs (and node connects) refused: no listener, or the listener's limit reached. */
    public long refusedConnectCount() {
        return refusedConnects;
    }

    /** @return clients closed because their control socket stayed full. */
    public long controlOverflowCount() {
        return controlOverflows;
    }

    /** @return the names currently listened on (clients' and the node's). Any thread. */
    public Set<String> listenerNames() {
        return Set.copyOf(names.keySet());
    }

    /**
     * A snapshot of the clients and channels for consoles and tests, taken on the server's thread
     * (this call waits at most 5 s for it; from the loop itself it runs at once).
     */
    public ShmServerSnapshot snapshot() {
        if (center.inEventLoop()) {
            return snapshot0();
        }
        java.util.concurrent.CompletableFuture<ShmServerSnapshot> f = new java.util.concurrent.CompletableFuture<>();
        if (!center.execute(() -> f.complete(snapshot0()))) {
            return new ShmServerSnapshot(List.of(), List.of());
        }
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new ShmServerSnapshot(List.of(), List.of());
        }
    }

    private ShmServerSnapshot snapshot0() {
        List<ShmServerSnapshot.ClientInfo> cs = new ArrayList<>();
        for (Client c : clients.values()) {
            List<String> ls = new ArrayList<>();
            for (ClientListener l : c.listeners.values()) {
                ls.add(l.name());
            }
            cs.add(new ShmServerSnapshot.ClientInfo(c.serial, c.credentials.pid(), c.credentials.uid(), c.helloDone,
                    c.sides.size(), List.copyOf(ls)));
        }
        List<ShmServerSnapshot.ChannelInfo> chs = new ArrayList<>();
        for (ServerChannel ch : channels) {
            chs.add(ch.info());
        }
        return new ShmServerSnapshot(List.copyOf(cs), List.copyOf(chs));
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
            release(c, Errno.ESHUTDOWN);
        }
        for (DatagramPort port : new ArrayList<>(datagramPorts.values())) {
            closeDatagramPort(port);
        }
        // Channels left now have only node sides open: each is freed when the node closes its end.
        names.clear();
    }

    @Override
    public String toString() {
        return "ShmControlServer[" + config.socketPath() + ", " + liveClients + " clients]";
    }
}
