package io.ferry.messenger.internal;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.messenger.wire.ConnectMessage;
import io.ferry.messenger.wire.ConnectReply;
import io.ferry.messenger.wire.EntityAddrCodec;
import io.ferry.messenger.wire.FrameReader;
import io.ferry.messenger.wire.FrameWriter;
import io.ferry.messenger.wire.Msgr;
import io.ferry.messenger.wire.ReceiveBuffer;
import io.ferry.messenger.wire.ReceiveMemory;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One msgr v1 session (Ceph's {@code AsyncConnection} + {@code ProtocolV1}): the client and server
 * handshakes, the open state with priority queues, the {@code sent} list, seq/ack with one coalesced
 * ACK, KEEPALIVE2, standby, back-off and reconnect, and the server's accept decisions.
 *
 * <p><b>Threading:</b> all state is touched on the event loop of {@link #center} only. Public methods
 * ({@link #send}, {@link #markDown}, getters) may be called from any thread: they hand work over as
 * external events, re-posted if the session moved to another worker meanwhile (a replace moves it
 * to the worker of the socket it adopts). Fields read by other threads are volatile.
 */
final class AsyncConnection implements Connection, FrameReader.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncConnection.class);
    /** Stop encoding queued messages once this much is waiting for the socket. */
    private static final long OUTGOING_HIGH_WATER = 512 * 1024;
    /**
     * Reads per readiness event before letting other sockets run; what is left is read by a
     * continuation (edge-triggered) or the next poll (level-triggered), so nothing is lost.
     */
    private static final int READS_PER_EVENT = 16;
    private static final long THROTTLE_RETRY_NANOS = 1_000_000;
    /*
     * Release stores for the volatile counters the data path bumps per message: they are written
     * on the loop thread only and read by other threads (getters, status), which need ordered
     * visibility, not the StoreLoad fence a volatile store costs (one per store on x86).
     */
    private static final VarHandle QUEUED_COUNT;
    private static final VarHandle SENT_COUNT;
    private static final VarHandle OUT_SEQ;
    private static final VarHandle IN_SEQ;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            QUEUED_COUNT = l.findVarHandle(AsyncConnection.class, "queuedCount", int.class);
            SENT_COUNT = l.findVarHandle(AsyncConnection.class, "sentCount", int.class);
            OUT_SEQ = l.findVarHandle(AsyncConnection.class, "outSeq", long.class);
            IN_SEQ = l.findVarHandle(AsyncConnection.class, "inSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Internal protocol states; {@link #state()} maps them onto the API's. */
    enum Phase {
        NONE, CONNECTING_TCP, CONNECTING_BANNER, CONNECTING_REPLY, CONNECTING_ACK_SEQ,
        ACCEPTING_BANNER, ACCEPTING_CONNECT, ACCEPTING_SEQ, OPEN, STANDBY, WAIT, CLOSED
    }

    private final AsyncMessenger messenger;
    private final boolean outgoing;
    /**
     * {@link EventMask#EDGE_TRIGGERED} when the current socket {@link ConnectedSocket#shortReadDrains()
     * drains on a short read} (kernel sockets, {@code posix} stack), else 0; loop thread only.
     * With it, a read that does not fill the buffer took everything queued and reading stops there
     * (as Netty's epoll transport does), and readiness is edge-triggered: the kernel stops
     * re-checking every served socket on each poll, and the sessions of a loop are served in
     * arrival order (level-triggered, a socket served last turn keeps its place in the ready list,
     * and some round trips take two turns: the 16-connection p99 of the messenger benchmark). The
     * price: whatever this connection stops short of (the read budget, encoding past the
     * high-water mark) it finishes in {@link #continueIo}. Without it (shm, which clears readiness
     * only on a read that finds nothing) the session reads until {@code EAGAIN}, level-triggered.
     */
    private int edge;
    /** The socket a pending {@link #continueIo} was scheduled for, or null; loop thread only. */
    private ConnectedSocket continuationSocket;
    /** The settings' keepalive timeout; only with one is {@link #lastReceivedNanos} kept. */
    private final long keepaliveTimeoutNanos;
    final long id;

    private volatile EventCenter center;
    private volatile Phase phase = Phase.NONE;
    private volatile EntityAddress peerAddress;
    private volatile int peerType = -1;
    private volatile Policy policy;
    private volatile long features;
    private volatile long outSeq;
    private volatile long inSeq;
    private volatile int connectSeq;
    private volatile int peerGlobalSeq;
    private volatile boolean replacing;
    private volatile String lastError;
    private volatile long lastKeepaliveAckNanos;
    private volatile long lastKeepaliveRttNanos = -1;
    private volatile int queuedCount;
    private volatile int sentCount;

    private ConnectedSocket socket;
    private FileEvent fileEvent;
    /** Where the socket reads to; received messages' sections are views of it. */
    private final ReceiveBuffer received;
    private final BufferList outgoingBytes = new BufferList();
    private final FrameReader reader;
    private final FrameWriter writer = new FrameWriter(outgoingBytes);
    private final ConnectMessage connectView = new ConnectMessage();
    private final ConnectReply replyView = new ConnectReply();
    private final byte[] connectBytes = new byte[Msgr.CONNECT_SIZE];
    private final byte[] replyBytes = new byte[Msgr.CONNECT_REPLY_SIZE];

    private final ConcurrentLinkedQueue<Message> pendingSends = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final TreeMap<Integer, ArrayDeque<Message>> outQueue = new TreeMap<>();
    private final ArrayDeque<Message> sent = new ArrayDeque<>();
    private final ArrayDeque<Message> writtenLossy = new ArrayDeque<>();

    private int globalSeq;
    private long ackedInSeq;
    private boolean keepalivePending;
    private boolean keepaliveAckPending;
    private int keepaliveAckSec;
    private int keepaliveAckNsec;
    private long keepaliveSentNanos;
    private long lastReceivedNanos;
    private long handshakeStartedNanos;
    private long backoffNanos;
    private boolean onceReady;
    private boolean resetFromPeer;
    private boolean readPaused;
    /** True while {@link #readAndProcess} parses: replies are encoded, written by its {@link #afterRead}. */
    private boolean reading;
    /** An emptied priority queue kept for the next message (no allocation per message). */
    private ArrayDeque<Message> spareQueue;
    private TimeEvent tickTimer;
    private TimeEvent retryTimer;
    private TimeEvent throttleTimer;

    AsyncConnection(AsyncMessenger messenger, Worker worker, boolean outgoing, EntityAddress peer, int peerType,
            Policy policy, long id) {
        this.messenger = messenger;
        this.keepaliveTimeoutNanos = messenger.settings().keepaliveTimeoutNanos();
        this.center = worker.center();
        this.outgoing = outgoing;
        this.peerAddress = peer;
        this.peerType = peerType;
        this.policy = policy;
        this.id = id;
        ReceiveMemory memory = ReceiveMemory.forLoop(center);
        this.received = new ReceiveBuffer(memory);
        this.reader = new FrameReader(messenger.settings().maxMessageBytes(), memory);
        this.reader.setCheckDataCrc(messenger.settings().crcData());
    }

    // ------------------------------------------------------------------ public view (any thread)

    @Override
    public EntityAddress peerAddress() {
        return peerAddress;
    }

    @Override
    public int peerType() {
        return peerType;
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public long features() {
        return features;
    }

    @Override
    public State state() {
        switch (phase) {
            case NONE:
            case CONNECTING_TCP:
            case CONNECTING_BANNER:
            case CONNECTING_REPLY:
            case CONNECTING_ACK_SEQ:
                return State.CONNECTING;
            case ACCEPTING_BANNER:
            case ACCEPTING_CONNECT:
            case ACCEPTING_SEQ:
                return State.ACCEPTING;
            case OPEN:
                return State.OPEN;
            case STANDBY:
                return State.STANDBY;
            case WAIT:
                return State.WAIT;
            default:
                return State.CLOSED;
        }
    }

    Phase phase() {
        return phase;
    }

    boolean isOutgoing() {
        return outgoing;
    }

    @Override
    public long outSeq() {
        return outSeq;
    }

    @Override
    public long inSeq() {
        return inSeq;
    }

    @Override
    public int queuedMessages() {
        return queuedCount + pendingSends.size();
    }

    @Override
    public int unackedMessages() {
        return sentCount;
    }

    @Override
    public int connectSeq() {
        return connectSeq;
    }

    int peerGlobalSeq() {
        return peerGlobalSeq;
    }

    boolean isReplacing() {
        return replacing;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public long lastKeepaliveAckNanos() {
        return lastKeepaliveAckNanos;
    }

    @Override
    public long lastKeepaliveRoundTripNanos() {
        return lastKeepaliveRttNanos;
    }

    @Override
    public int send(Message message) {
        if (phase == Phase.CLOSED) {
            message.release();
            return -Errno.ESHUTDOWN;
        }
        EventCenter c = center;
        if (c.inEventLoop() && pendingSends.isEmpty()) {
            // on the session's own loop (a dispatcher answering): no hand-over needed
            enqueue(message);
            afterEnqueue();
            return 0;
        }
        pendingSends.add(message);
        scheduleDrain();
        return 0;
    }

    @Override
    public void sendKeepalive() {
        runOnLoop(() -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            keepalivePending = true;
            if (phase == Phase.OPEN) {
                writeQueued();
            }
        });
    }

    @Override
    public void markDown() {
        runOnLoop(() -> stop("marked down", true));
    }

    @Override
    public String toString() {
        return "conn(" + id + " " + (outgoing ? "->" : "<-") + " " + peerAddress + " " + EntityName.typeName(peerType) + " "
                + phase + " cs=" + connectSeq + " out=" + outSeq + " in=" + inSeq + ")";
    }

    // ------------------------------------------------------------------ loop hand-over

    /** Runs {@code task} on the current center's thread, following the session if it moves. */
    void runOnLoop(Runnable task) {
        EventCenter c = center;
        if (c.inEventLoop()) {
            task.run();
            return;
        }
        boolean queued = c.execute(() -> {
            if (center != c) {
                runOnLoop(task);
                return;
            }
            task.run();
        });
        if (!queued) {
            // the worker is gone (stack stopped): nothing can run there any more
            closeAfterStackShutdown();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            runOnLoop(this::drainPendingSends);
        }
    }

    private void drainPendingSends() {
        drainScheduled.set(false);
        Message m;
        while ((m = pendingSends.poll()) != null) {
            enqueue(m);
        }
        afterEnqueue();
    }

    /** Puts {@code m} on its priority's queue (or releases it once closed). Loop thread. */
    private void enqueue(Message m) {
        if (phase == Phase.CLOSED) {
            m.release();
            return;
        }
        Integer priority = m.priority();
        ArrayDeque<Message> q = outQueue.get(priority);
        if (q == null) {
            q = spareQueue != null ? spareQueue : new ArrayDeque<>();
            spareQueue = null;
            outQueue.put(priority, q);
        }
        q.addLast(m);
        QUEUED_COUNT.setRelease(this, queuedCount + 1);
    }

    /** Writes what was queued, or leaves standby to send it. Loop thread. */
    private void afterEnqueue() {
        if (phase == Phase.OPEN) {
            writeQueued();
        } else if (phase == Phase.STANDBY && !policy.server() && queuedCount > 0) {
            LOG.debug("{}: leaving standby to send", this);
            startConnect();
        }
    }

    private void closeAfterStackShutdown() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        lastError = "network stack shut down";
        Message m;
        while ((m = pendingSends.poll()) != null) {
            m.release();
        }
        messenger.connectionClosed(this, lastError, true);
    }

    // ------------------------------------------------------------------ client side

    /** Starts (or restarts) the client handshake on this loop. */
    void startConnect() {
        cancelTimer(retryTimer);
        retryTimer = null;
        closeSocket();
        resetReadState();
        globalSeq = messenger.nextGlobalSeq(0);
        enterPhase(Phase.CONNECTING_TCP);
        InetSocketAddress target = peerAddress.address();
        try {
            socket = messenger.stack().connect(target, messenger.settings().socketOptions(), workerOf(center));
            readStyleOf(socket);
            fileEvent = center.createFileEvent(socket, EventMask.ALL | edge, this::onFileEvent);
        } catch (IOException | RuntimeException e) {
            fault("cannot connect to " + peerAddress + ": " + e.getMessage());
            return;
        }
        ensureTick();
    }

    private void onTcpConnected() {
        int c = socket.isConnected();
        if (c == 0) {
            return;
        }
        if (c < 0) {
            fault("connect to " + peerAddress + " failed: " + Errno.name(c));
            return;
        }
        enterPhase(Phase.CONNECTING_BANNER);
        outgoingBytes.append(ByteBuffer.wrap(Msgr.BANNER));
        flush();
    }

    /** Banner + server's address + our address as the server sees it. */
    private int handleServerBanner(ByteBuffer in) {
        int need = Msgr.BANNER.length + 2 * Msgr.ENTITY_ADDR_SIZE;
        if (in.remaining() < need) {
            return 0;
        }
        int at = in.position();
        for (int i = 0; i < Msgr.BANNER.length; i++) {
            if (in.get(at + i) != Msgr.BANNER[i]) {
                return badInput(messenger.counters().badBanner,
                        "peer " + peerAddress + " sent a bad banner (not \"ceph v027\")");
            }
        }
        String why = EntityAddrCodec.check(in, at + Msgr.BANNER.length);
        if (why == null) {
            why = EntityAddrCodec.check(in, at + Msgr.BANNER.length + Msgr.ENTITY_ADDR_SIZE);
        }
        if (why != null) {
            return badInput(messenger.counters().badAddress, "peer " + peerAddress + " sent a bad address: " + why);
        }
        EntityAddress paddr = EntityAddrCodec.decode(in, at + Msgr.BANNER.length);
        EntityAddress forMe = EntityAddrCodec.decode(in, at + Msgr.BANNER.length + Msgr.ENTITY_ADDR_SIZE);
        in.position(at + need);
        if (!paddr.equals(peerAddress)) {
            boolean sameNode = paddr.isBlankIp() && paddr.address().getPort() == peerAddress.address().getPort()
                    && paddr.nonce() == peerAddress.nonce();
            if (!sameNode) {
                fault("peer " + peerAddress + " claims to be " + paddr);
                return -1;
            }
        }
        messenger.learnedAddress(forMe);
        outgoingBytes.append(ByteBuffer.wrap(EntityAddrCodec.encode(messenger.myAddress())));
        sendConnectMessage();
        return 1;
    }

    private void sendConnectMessage() {
        Policy p = policy;
        int proto = messenger.settings().protocolVersionOverride() != 0 ? messenger.settings().protocolVersionOverride()
                : Msgr.protocolVersion(messenger.myName().type(), peerType, true);
        ByteBuffer b = ByteBuffer.allocate(Msgr.CONNECT_SIZE);
        connectView.wrap(b, 0).features(p.featuresSupported()).hostType(messenger.myName().type()).globalSeq(globalSeq)
                .connectSeq(connectSeq).protocolVersion(proto).authorizerProtocol(Msgr.AUTH_UNKNOWN).authorizerLen(0)
                .flags(p.lossy() ? Msgr.CONNECT_LOSSY : 0);
        outgoingBytes.append(b);
        enterPhase(Phase.CONNECTING_REPLY);
        flush();
    }

    private int handleConnectReply(ByteBuffer in) {
        if (in.remaining() < Msgr.CONNECT_REPLY_SIZE) {
            return 0;
        }
        int at = in.position();
        ByteBuffer replyBuf = ByteBuffer.wrap(replyBytes);
        in.get(at, replyBytes);
        replyView.wrap(replyBuf, 0);
        String why = replyView.check();
        if (why != null) {
            in.position(at + Msgr.CONNECT_REPLY_SIZE);
            return badInput(messenger.counters().badConnect, "bad connect reply from " + peerAddress + ": " + why);
        }
        long authLen = replyView.authorizerLen();
        if (in.remaining() < Msgr.CONNECT_REPLY_SIZE + authLen) {
            return 0;
        }
        in.position(at + Msgr.CONNECT_REPLY_SIZE + (int) authLen);
        int tag = replyView.tag();
        Policy p = policy;
        switch (tag) {
            case Msgr.TAG_FEATURES: {
                long missing = replyView.features() & ~p.featuresSupported();
                return refuse("peer " + peerAddress + " refused the connection with FEATURES: it requires features 0x"
                        + Long.toHexString(replyView.features()) + ", we offered 0x"
                        + Long.toHexString(p.featuresSupported()) + " (missing 0x" + Long.toHexString(missing) + ")");
            }
            case Msgr.TAG_BADPROTOVER:
                return refuse("peer " + peerAddress + " refused the connection with BADPROTOVER: it speaks protocol "
                        + replyView.protocolVersion() + ", we announced " + announcedProtocol());
            case Msgr.TAG_BADAUTHORIZER:
                return refuse("peer " + peerAddress + " refused the connection with BADAUTHORIZER");
            case Msgr.TAG_CHALLENGE_AUTHORIZER:
                return refuse("peer " + peerAddress + " sent CHALLENGE_AUTHORIZER; only auth none is supported");
            case Msgr.TAG_RESETSESSION:
                LOG.info("{}: peer sent RESETSESSION: it lost our session; resending from seq 1", this);
                sessionReset();
                connectSeq = 0;
                messenger.notifyRemoteReset(this);
                sendConnectMessage();
                return 1;
            case Msgr.TAG_RETRY_GLOBAL:
                globalSeq = messenger.nextGlobalSeq(replyView.globalSeq());
                LOG.debug("{}: RETRY_GLOBAL {}, now {}", this, replyView.globalSeq(), globalSeq);
                sendConnectMessage();
                return 1;
            case Msgr.TAG_RETRY_SESSION:
                if (replyView.connectSeq() <= connectSeq) {
                    fault("peer sent RETRY_SESSION with connect_seq " + replyView.connectSeq() + " not above ours "
                            + connectSeq);
                    return -1;
                }
                connectSeq = replyView.connectSeq();
                sendConnectMessage();
                return 1;
            case Msgr.TAG_WAIT:
                LOG.debug("{}: peer sent WAIT (connection race)", this);
                phase = Phase.WAIT;
                fault("peer asked us to WAIT (connection race)");
                return -1;
            default:
                break;
        }
        long featMissing = p.featuresRequired() & ~replyView.features();
        if (featMissing != 0) {
            return refuse("peer " + peerAddress + " lacks required features 0x" + Long.toHexString(featMissing));
        }
        if (tag == Msgr.TAG_SEQ) {
            enterPhase(Phase.CONNECTING_ACK_SEQ);
            return 1;
        }
        if (tag != Msgr.TAG_READY) {
            fault("unexpected connect reply " + Msgr.tagName(tag));
            return -1;
        }
        return clientReady() ? 1 : -1;
    }

    private int announcedProtocol() {
        int o = messenger.settings().protocolVersionOverride();
        return o != 0 ? o : Msgr.protocolVersion(messenger.myName().type(), peerType, true);
    }

    private int handleAckSeq(ByteBuffer in) {
        if (in.remaining() < 8) {
            return 0;
        }
        long newlyAcked = in.getLong();
        discardRequeuedUpTo(newlyAcked);
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, inSeq);
        outgoingBytes.append(b);
        return clientReady() ? 1 : -1;
    }

    private boolean clientReady() {
        peerGlobalSeq = replyView.globalSeq();
        boolean lossy = (replyView.flags() & Msgr.CONNECT_LOSSY) != 0;
        if (lossy != policy.lossy()) {
            policy = policy.withLossy(lossy);
        }
        onceReady = true;
        connectSeq += 1;
        if (connectSeq != replyView.connectSeq()) {
            fault("connect_seq mismatch: ours " + connectSeq + ", peer's " + replyView.connectSeq());
            return false;
        }
        backoffNanos = 0;
        features = replyView.features() & policy.featuresSupported();
        LOG.debug("{}: connected, lossy={} features=0x{}", this, lossy, Long.toHexString(features));
        ready();
        messenger.notifyConnect(this);
        return true;
    }

    // ------------------------------------------------------------------ server side

    /** Takes an accepted socket (on this connection's loop) and starts the server handshake. */
    void startAccept(ConnectedSocket accepted) {
        socket = accepted;
        readStyleOf(socket);
        enterPhase(Phase.ACCEPTING_BANNER);
        try {
            fileEvent = center.createFileEvent(socket, EventMask.READABLE | edge, this::onFileEvent);
        } catch (IOException | RuntimeException e) {
            stop("cannot register accepted socket: " + e.getMessage(), false);
            return;
        }
        outgoingBytes.append(ByteBuffer.wrap(Msgr.BANNER));
        outgoingBytes.append(ByteBuffer.wrap(EntityAddrCodec.encode(messenger.addressSeenOn(socket))));
        InetSocketAddress remote = (InetSocketAddress) socket.remoteAddress();
        outgoingBytes.append(ByteBuffer.wrap(EntityAddrCodec.encode(new EntityAddress(0, remote))));
        ensureTick();
        flush();
    }

    private int handleClientBanner(ByteBuffer in) {
        int need = Msgr.BANNER.length + Msgr.ENTITY_ADDR_SIZE;
        if (in.remaining() < need) {
            return 0;
        }
        int at = in.position();
        for (int i = 0; i < Msgr.BANNER.length; i++) {
            if (in.get(at + i) != Msgr.BANNER[i]) {
                return badInput(messenger.counters().badBanner, "peer sent a bad banner (not \"ceph v027\")");
            }
        }
        String why = EntityAddrCodec.check(in, at + Msgr.BANNER.length);
        if (why != null) {
            return badInput(messenger.counters().badAddress, "peer sent a bad address: " + why);
        }
        EntityAddress addr = EntityAddrCodec.decode(in, at + Msgr.BANNER.length);
        in.position(at + need);
        if (addr.isBlankIp()) {
            InetSocketAddress remote = (InetSocketAddress) socket.remoteAddress();
            addr = new EntityAddress(addr.nonce(), new InetSocketAddress(remote.getAddress(), addr.address().getPort()));
        }
        peerAddress = addr;
        enterPhase(Phase.ACCEPTING_CONNECT);
        return 1;
    }

    private int handleConnectMessage(ByteBuffer in) {
        if (in.remaining() < Msgr.CONNECT_SIZE) {
            return 0;
        }
        int at = in.position();
        in.get(at, connectBytes);
        connectView.wrap(ByteBuffer.wrap(connectBytes), 0);
        String why = connectView.check();
        if (why != null) {
            return badInput(messenger.counters().badConnect, "bad connect message: " + why);
        }
        long authLen = connectView.authorizerLen();
        if (in.remaining() < Msgr.CONNECT_SIZE + authLen) {
            return 0;
        }
        in.position(at + Msgr.CONNECT_SIZE + (int) authLen);
        return messenger.handleConnectMessage(this, connectView) ? 1 : -1;
    }

    /** What the accept decision needs of the connect message; called under the messenger's accept lock. */
    int acceptProtocolVersion() {
        return messenger.settings().protocolVersionOverride() != 0 ? messenger.settings().protocolVersionOverride()
                : Msgr.protocolVersion(messenger.myName().type(), peerType, false);
    }

    void setAcceptedPeer(int hostType, Policy p) {
        this.peerType = hostType;
        this.policy = p;
    }

    /** Writes a refusal or retry reply and waits for the next connect message. */
    void sendConnectReply(int tag, ConnectMessage connect, int replyGlobalSeq, int replyConnectSeq) {
        ByteBuffer b = ByteBuffer.allocate(Msgr.CONNECT_REPLY_SIZE);
        Policy p = policy;
        new ConnectReply().wrap(b, 0).tag(tag).features((connect.features() & p.featuresSupported()) | p.featuresRequired())
                .globalSeq(replyGlobalSeq).connectSeq(replyConnectSeq).protocolVersion(acceptProtocolVersion())
                .authorizerLen(0).flags(0);
        outgoingBytes.append(b);
        LOG.debug("{}: accept reply {}", this, Msgr.tagName(tag));
        enterPhase(Phase.ACCEPTING_CONNECT);
        flush();
    }

    /** Ceph's {@code open}: the session is accepted; reply READY or SEQ. Loop thread, under the accept lock. */
    void openAccepted(ConnectMessage connect) {
        connectSeq = connect.connectSeq() + 1;
        peerGlobalSeq = connect.globalSeq();
        boolean seqExchange = (connect.features() & Msgr.FEATURE_RECONNECT_SEQ) != 0 && !resetFromPeer;
        if (!seqExchange) {
            discardRequeuedUpTo(0);
            resetFromPeer = false;
            inSeq = 0;
        }
        Policy p = policy;
        ByteBuffer b = ByteBuffer.allocate(Msgr.CONNECT_REPLY_SIZE + (seqExchange ? 8 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        new ConnectReply().wrap(b, 0).tag(seqExchange ? Msgr.TAG_SEQ : Msgr.TAG_READY).features(p.featuresSupported())
                .globalSeq(messenger.nextGlobalSeq(0)).connectSeq(connectSeq).protocolVersion(acceptProtocolVersion())
                .authorizerLen(0).flags(p.lossy() ? Msgr.CONNECT_LOSSY : 0);
        if (seqExchange) {
            b.putLong(Msgr.CONNECT_REPLY_SIZE, inSeq);
        }
        outgoingBytes.append(b);
        features = p.featuresSupported() & connect.features();
        replacing = false;
        onceReady = true;
        messenger.notifyAccept(this);
        if (seqExchange) {
            enterPhase(Phase.ACCEPTING_SEQ);
            flush();
        } else {
            ready();
        }
    }

    private int handleSeq(ByteBuffer in) {
        if (in.remaining() < 8) {
            return 0;
        }
        long newlyAcked = in.getLong();
        discardRequeuedUpTo(newlyAcked);
        ready();
        return 1;
    }

    /**
     * Marks this session as being replaced at the moment the accept decision is taken (under the
     * messenger's accept lock, any thread), as Ceph does under the existing connection's lock:
     * further connect messages from the peer get RETRY_GLOBAL until {@link #adoptSocket} has run,
     * instead of a second replace racing the first.
     */
    void beginReplace() {
        replacing = true;
    }

    /**
     * Ceph's {@code replace}, on the existing session's loop: drop the old socket and its partial
     * state, requeue what was sent, and adopt {@code adopted} (owned by {@code newWorker}). The
     * session moves to that worker, tells the peer RETRY_GLOBAL and waits for its next connect
     * message, which then opens the session with a SEQ exchange.
     */
    void adoptSocket(ConnectedSocket adopted, Worker newWorker, boolean hardResetFromPeer) {
        if (phase == Phase.CLOSED) {
            adopted.close();
            return;
        }
        cancelTimer(retryTimer);
        retryTimer = null;
        cancelTimer(tickTimer);
        tickTimer = null;
        cancelTimer(throttleTimer);
        throttleTimer = null;
        closeSocket();
        resetReadState();
        requeueSent();
        releaseWrittenLossy();
        // each replace decides afresh: a peer reset taken by an earlier replace whose socket died must not
        // turn this one into a READY that forgets in_seq (the peer's resent messages would arrive twice)
        resetFromPeer = hardResetFromPeer;
        replacing = true;
        phase = Phase.NONE;
        EventCenter next = newWorker.center();
        ReceiveMemory memory = ReceiveMemory.forLoop(next);
        received.moveTo(memory);
        reader.moveTo(memory);
        center = next;
        next.execute(() -> {
            if (phase != Phase.NONE || center != next) {
                adopted.close();
                return;
            }
            socket = adopted;
            readStyleOf(socket);
            try {
                fileEvent = center.createFileEvent(socket, EventMask.READABLE | edge, this::onFileEvent);
            } catch (IOException | RuntimeException e) {
                stop("cannot register adopted socket: " + e.getMessage(), true);
                return;
            }
            ensureTick();
            ByteBuffer b = ByteBuffer.allocate(Msgr.CONNECT_REPLY_SIZE);
            new ConnectReply().wrap(b, 0).tag(Msgr.TAG_RETRY_GLOBAL).features(policy.featuresSupported())
                    .globalSeq(peerGlobalSeq).connectSeq(0).protocolVersion(acceptProtocolVersion()).authorizerLen(0)
                    .flags(0);
            outgoingBytes.append(b);
            enterPhase(Phase.ACCEPTING_CONNECT);
            flush();
        });
    }

    /** Hands this (new, accepting) connection's socket over: stops using it without closing it. */
    ConnectedSocket detachSocket() {
        ConnectedSocket s = socket;
        if (fileEvent != null) {
            fileEvent.cancel();
            fileEvent = null;
        }
        socket = null;
        cancelTimer(tickTimer);
        tickTimer = null;
        phase = Phase.CLOSED;
        return s;
    }

    Worker worker() {
        return workerOf(center);
    }

    // ------------------------------------------------------------------ open state

    private void ready() {
        enterPhase(Phase.OPEN);
        LOG.debug("{}: open, {} queued, {} unacked", this, queuedCount, sent.size());
        lastReceivedNanos = System.nanoTime();
        reader.setMsgAuth((features & Msgr.FEATURE_MSG_AUTH) != 0);
        ensureTick();
        writeQueued();
    }

    @Override
    public void onAck(long seq) {
        while (!sent.isEmpty() && sent.peekFirst().seq() <= seq) {
            sent.pollFirst().release();
        }
        SENT_COUNT.setRelease(this, sent.size());
    }

    @Override
    public void onKeepalive() {
        // KEEPALIVE (v1) needs no answer; receiving it already counts as hearing from the peer
    }

    @Override
    public void onKeepalive2(int sec, int nsec) {
        keepaliveAckPending = true;
        keepaliveAckSec = sec;
        keepaliveAckNsec = nsec;
    }

    @Override
    public void onKeepalive2Ack(int sec, int nsec) {
        long now = System.nanoTime();
        lastKeepaliveAckNanos = now;
        if (keepaliveSentNanos != 0) {
            lastKeepaliveRttNanos = now - keepaliveSentNanos;
        }
    }

    @Override
    public boolean admit(long payloadBytes) {
        return messenger.throttle().tryAcquire(payloadBytes);
    }

    @Override
    public void onMessage(Message m) {
        long size = m.payloadLength();
        Throttle throttle = messenger.throttle();
        m.onRelease(throttle.releaser(), size);
        if (m.seq() <= inSeq) {
            LOG.debug("{}: discarding old message seq {} <= in_seq {}", this, m.seq(), inSeq);
            messenger.counters().oldDiscarded.increment();
            m.release();
            return;
        }
        if (m.seq() > inSeq + 1) {
            LOG.debug("{}: skipped from seq {} to {}", this, inSeq, m.seq());
        }
        IN_SEQ.setRelease(this, m.seq());
        messenger.counters().received.increment();
        messenger.dispatch(this, m);
    }

    /** Encodes queued messages, acks and keepalives onto the outgoing bytes and writes. Loop thread, OPEN only. */
    private void writeQueued() {
        if (phase != Phase.OPEN) {
            return;
        }
        boolean lossy = policy.lossy();
        boolean msgAuth = (features & Msgr.FEATURE_MSG_AUTH) != 0;
        boolean crcData = messenger.settings().crcData();
        if (keepalivePending) {
            keepalivePending = false;
            long now = System.nanoTime();
            keepaliveSentNanos = now;
            long wall = System.currentTimeMillis();
            if ((features & Msgr.FEATURE_MSGR_KEEPALIVE2) != 0) {
                writer.keepalive2(false, (int) (wall / 1000), (int) ((wall % 1000) * 1_000_000));
            } else {
                writer.tag(Msgr.TAG_KEEPALIVE);
            }
        }
        if (keepaliveAckPending) {
            keepaliveAckPending = false;
            writer.keepalive2(true, keepaliveAckSec, keepaliveAckNsec);
        }
        EntityName me = messenger.myName();
        while (outgoingBytes.length() + writer.pendingBytes() < OUTGOING_HIGH_WATER && queuedCount > 0) {
            Map.Entry<Integer, ArrayDeque<Message>> highest = outQueue.lastEntry();
            if (highest == null) {
                break;
            }
            ArrayDeque<Message> q = highest.getValue();
            Message m = q.pollFirst();
            if (m == null) {
                // an emptied queue kept for its priority's next message; a lower one holds the rest
                spareQueue = outQueue.remove(highest.getKey());
                continue;
            }
            if (q.isEmpty() && outQueue.size() > 1) {
                // a lone queue stays in the map: the next message of the same priority (the usual
                // case) finds it there and costs the map no new entry
                spareQueue = outQueue.remove(highest.getKey());
            }
            QUEUED_COUNT.setRelease(this, queuedCount - 1);
            long seq = outSeq + 1;
            OUT_SEQ.setRelease(this, seq);
            m.seq(seq);
            writer.message(m, seq, me, msgAuth, crcData);
            messenger.counters().sent.increment();
            if (lossy) {
                writtenLossy.addLast(m);
            } else {
                sent.addLast(m);
            }
        }
        SENT_COUNT.setRelease(this, sent.size());
        if (reading) {
            // a reply sent by a dispatcher while the read loop runs: the loop's afterRead adds one
            // ACK for everything it read and writes it all with one system call
            return;
        }
        if (!lossy && inSeq > ackedInSeq) {
            ackedInSeq = inSeq;
            writer.ack(inSeq);
        }
        flush();
    }

    // ------------------------------------------------------------------ I/O

    private void onFileEvent(int ready) {
        try {
            handleFileEvent(ready);
        } catch (RuntimeException e) {
            // a bug, not the peer's fault: keep the loop and this peer's neighbours alive, close this one
            messenger.counters().handlerErrors.increment();
            LOG.error("{}: failed handling socket readiness; faulting the connection", this, e);
            fault("internal error: " + e);
        }
    }

    private void handleFileEvent(int ready) {
        if (socket == null) {
            return;
        }
        if (phase == Phase.CONNECTING_TCP) {
            onTcpConnected();
            if (phase == Phase.CONNECTING_TCP || socket == null) {
                return;
            }
        }
        if ((ready & EventMask.WRITABLE) != 0) {
            flush();
            if (phase == Phase.OPEN && outgoingBytes.isEmpty() && (queuedCount > 0 || inSeq > ackedInSeq)) {
                writeQueued();
            }
        }
        if ((ready & EventMask.READABLE) != 0 && socket != null && !readPaused) {
            readAndProcess((ready & EventMask.HANGUP) != 0);
        }
    }

    /** @param hangup the peer hung up: read to the end of stream, not just to a short read */
    private void readAndProcess(boolean hangup) {
        reading = true;
        try {
            if (!readLoop(hangup)) {
                return;
            }
        } finally {
            reading = false;
        }
        afterRead();
    }

    /** Reads and parses until the socket is empty or the budget is spent. @return false if the connection faulted */
    private boolean readLoop(boolean hangup) {
        for (int i = 0; socket != null && !readPaused; i++) {
            if (i == READS_PER_EVENT) {
                // let the loop's other sockets run; level-triggered, the next poll reports what
                // is still queued; edge-triggered, no event would, so this connection comes back
                if (edge != 0) {
                    scheduleContinuation();
                }
                break;
            }
            // inside the sections of a payload larger than the read buffer, with every byte read
            // so far parsed: the socket reads straight into the message's pieces, no copy
            ByteBuffer direct = phase == Phase.OPEN && received.unparsed() == 0 ? reader.directTarget() : null;
            int room = direct != null ? direct.remaining() : received.room();
            if (room == 0) {
                // a handshake step that needs more than the buffer holds cannot happen (max 4.4 KiB)
                badInput(messenger.counters().protocolErrors, "handshake step larger than the read buffer in " + phase);
                return false;
            }
            int n = socket.read(direct != null ? direct : received.forRead());
            if (n == -Errno.EAGAIN) {
                break;
            }
            if (n == 0) {
                fault("peer closed the connection");
                return false;
            }
            if (n < 0) {
                fault("read failed: " + Errno.name(n));
                return false;
            }
            messenger.counters().bytesIn.add(n);
            if (keepaliveTimeoutNanos > 0) {
                lastReceivedNanos = System.nanoTime();
            }
            if (direct != null) {
                reader.directFilled(n);
            } else {
                received.received();
                if (!process()) {
                    return false;
                }
            }
            if (n < room && edge != 0 && !hangup) {
                // a short read emptied the kernel socket: another read would only return EAGAIN
                // (bytes arriving meanwhile are new readiness, reported by the next poll); after
                // a hang-up, the end of stream gets no event of its own, so read on to it
                break;
            }
        }
        return true;
    }

    /** Parses what the read buffer holds. @return false if the connection faulted or moved on */
    private boolean process() {
        ConnectedSocket s = socket;
        ByteBuffer readBuf = received.forParse();
        try {
            while (readBuf.hasRemaining() && socket == s) {
                int r = switch (phase) {
                    case CONNECTING_BANNER -> handleServerBanner(readBuf);
                    case CONNECTING_REPLY -> handleConnectReply(readBuf);
                    case CONNECTING_ACK_SEQ -> handleAckSeq(readBuf);
                    case ACCEPTING_BANNER -> handleClientBanner(readBuf);
                    case ACCEPTING_CONNECT -> handleConnectMessage(readBuf);
                    case ACCEPTING_SEQ -> handleSeq(readBuf);
                    case OPEN -> feedFrames(readBuf);
                    // WAIT, STANDBY, NONE, CLOSED, CONNECTING_TCP: bytes are not expected
                    default -> badInput(messenger.counters().protocolErrors, "unexpected bytes in " + phase);
                };
                if (r < 0) {
                    return false;
                }
                if (r == 0) {
                    break;
                }
            }
            return socket == s && phase != Phase.CLOSED;
        } finally {
            if (socket == s) {
                received.settle(reader.wholeBytesWanted());
            }
        }
    }

    /**
     * Feeds the read buffer to the frame reader of an open session.
     *
     * @return -1 if the session faulted or the peer closed it, else 0 (the reader took what it could,
     *     or paused reading for the throttle)
     */
    private int feedFrames(ByteBuffer in) {
        int f = reader.feed(in, received.owner(), this);
        if (f == FrameReader.FAILED) {
            MessengerCounters k = messenger.counters();
            k.badFrames.increment();
            FrameReader.ErrorKind kind = reader.errorKind();
            LongAdder why = kind == FrameReader.ErrorKind.CRC ? k.badCrc
                    : kind == FrameReader.ErrorKind.OVERSIZED ? k.oversized : k.protocolErrors;
            return badInput(why, "bad frame from " + peerAddress + ": " + reader.error());
        }
        if (f == FrameReader.CLOSED) {
            stop("peer sent CLOSE", true);
            return -1;
        }
        if (f == FrameReader.PAUSED) {
            pauseReading();
        }
        return 0;
    }

    private void afterRead() {
        if (phase == Phase.OPEN && (inSeq > ackedInSeq && !policy.lossy() || keepaliveAckPending)) {
            writeQueued();
        } else {
            flush();
        }
    }

    private void pauseReading() {
        if (readPaused) {
            return;
        }
        readPaused = true;
        messenger.counters().throttleStalls.increment();
        updateMask();
        throttleTimer = center.createTimeEvent(THROTTLE_RETRY_NANOS, this::retryThrottled);
    }

    private void retryThrottled() {
        throttleTimer = null;
        if (!readPaused || socket == null) {
            return;
        }
        readPaused = false;
        if (process()) {
            if (!readPaused) {
                updateMask();
                afterRead();
            }
        }
    }

    private void flush() {
        if (socket == null) {
            return;
        }
        writer.publish();
        if (!outgoingBytes.isEmpty() && phase != Phase.CONNECTING_TCP) {
            long n = socket.send(outgoingBytes, false);
            if (n < 0) {
                fault("write failed: " + Errno.name((int) n));
                return;
            }
            messenger.counters().bytesOut.add(n);
        }
        if (outgoingBytes.isEmpty()) {
            releaseWrittenLossy();
        }
        updateMask();
    }

    private void updateMask() {
        if (fileEvent == null || !fileEvent.isActive()) {
            return;
        }
        int mask = readPaused ? EventMask.NONE : EventMask.READABLE;
        // staged bytes (a read batch's replies, until afterRead publishes and writes them) count as outgoing
        boolean outgoing = !outgoingBytes.isEmpty() || writer.pendingBytes() > 0;
        boolean moreToEncode = phase == Phase.OPEN && !outgoing && queuedCount > 0;
        if (phase == Phase.CONNECTING_TCP || outgoing) {
            mask |= EventMask.WRITABLE;
        } else if (moreToEncode) {
            // queued messages beyond the high-water mark and the socket took everything encoded:
            // level-triggered, the next writable event encodes more; edge-triggered, no such event
            // comes (nothing filled the socket), so a continuation does
            if (edge == 0) {
                mask |= EventMask.WRITABLE;
            } else {
                scheduleContinuation();
            }
        }
        if (mask != EventMask.NONE) {
            mask |= edge;
        }
        if (fileEvent.mask() != mask) {
            fileEvent.setMask(mask);
        }
    }

    /** Reads stop at a short read, with edge-triggered readiness, where the socket allows it. */
    private void readStyleOf(ConnectedSocket s) {
        edge = s.shortReadDrains() ? EventMask.EDGE_TRIGGERED : 0;
    }

    /**
     * Runs {@link #continueIo} after the loop's other pending events; at most one pending per
     * socket. Allocates (rare: a spent read budget, encoding past the high-water mark).
     */
    private void scheduleContinuation() {
        ConnectedSocket s = socket;
        if (s != null && continuationSocket != s) {
            continuationSocket = s;
            EventCenter c = center;
            c.execute(() -> continueIo(c, s));
        }
    }

    /** A readiness event the kernel will not send (edge-triggered): read and write what is left. */
    private void continueIo(EventCenter scheduledOn, ConnectedSocket scheduledFor) {
        if (center != scheduledOn || socket != scheduledFor) {
            // moved to another loop or reconnected: the new registration was polled afresh
            return;
        }
        continuationSocket = null;
        if (phase != Phase.CLOSED) {
            // HANGUP: whether the peer hung up is not known here, so read until EAGAIN
            onFileEvent(EventMask.ALL | EventMask.HANGUP);
        }
    }

    // ------------------------------------------------------------------ timers

    private void ensureTick() {
        if (tickTimer == null && phase != Phase.CLOSED) {
            long period = messenger.tickNanos();
            tickTimer = center.createTimeEvent(period, this::tick);
        }
    }

    private void tick() {
        tickTimer = null;
        long now = System.nanoTime();
        MessengerSettings s = messenger.settings();
        switch (phase) {
            case OPEN:
                if (s.keepaliveTimeoutNanos() > 0 && now - lastReceivedNanos > s.keepaliveTimeoutNanos()) {
                    fault("heard nothing from the peer for " + (now - lastReceivedNanos) / 1_000_000 + " ms (keepalive timeout "
                            + s.keepaliveTimeoutNanos() / 1_000_000 + " ms)");
                    return;
                }
                if (s.keepaliveIntervalNanos() > 0 && now - keepaliveSentNanos >= s.keepaliveIntervalNanos()) {
                    keepalivePending = true;
                    writeQueued();
                }
                break;
            case CONNECTING_TCP:
            case CONNECTING_BANNER:
            case CONNECTING_REPLY:
            case CONNECTING_ACK_SEQ:
            case ACCEPTING_BANNER:
            case ACCEPTING_CONNECT:
            case ACCEPTING_SEQ:
                if (now - handshakeStartedNanos > s.connectTimeoutNanos()) {
                    // measured from the first step: a peer cannot keep a handshake alive with endless retries
                    messenger.counters().handshakeTimeouts.increment();
                    String reason = "handshake timed out in " + phase + " after " + s.connectTimeoutNanos() / 1_000_000
                            + " ms";
                    if (!outgoing) {
                        messenger.reportBadPeer(this, reason);
                    }
                    fault(reason);
                    return;
                }
                break;
            default:
                break;
        }
        if (phase != Phase.CLOSED && phase != Phase.STANDBY && phase != Phase.WAIT) {
            ensureTick();
        }
    }

    // ------------------------------------------------------------------ faults

    private int refuse(String reason) {
        LOG.warn("{}: {}", this, reason);
        messenger.counters().refusals.increment();
        lastError = reason;
        messenger.notifyFault(this, reason);
        stop(reason, true);
        return -1;
    }

    /** Ceph's {@code ProtocolV1::fault}. Loop thread. */
    void fault(String reason) {
        Phase was = phase;
        if (was == Phase.CLOSED || (was == Phase.NONE && !replacing)) {
            return;
        }
        lastError = reason;
        messenger.counters().faults.increment();
        LOG.debug("{}: fault: {}", this, reason);
        boolean connecting = was == Phase.CONNECTING_TCP || was == Phase.CONNECTING_BANNER
                || was == Phase.CONNECTING_REPLY || was == Phase.CONNECTING_ACK_SEQ;
        boolean accepting = was == Phase.ACCEPTING_BANNER || was == Phase.ACCEPTING_CONNECT || was == Phase.ACCEPTING_SEQ;
        if (accepting && !onceReady && !replacing) {
            // a half-accepted connection: nobody knows it, just close (Ceph does the same)
            stop(reason, false);
            return;
        }
        messenger.notifyFault(this, reason);
        if (policy.lossy() && !connecting) {
            stop(reason, true);
            return;
        }
        // as Ceph's fault(): a peer reset seen by a replace that did not complete ends here; kept, the
        // next accept would answer READY instead of SEQ, zero in_seq and deliver resent messages again
        resetFromPeer = false;
        closeSocket();
        resetReadState();
        requeueSent();
        releaseWrittenLossy();
        replacing = false;
        if (policy.standby() && queuedCount == 0 && pendingSends.isEmpty() && !keepalivePending && was != Phase.WAIT) {
            LOG.debug("{}: nothing to send, standby", this);
            phase = Phase.STANDBY;
            return;
        }
        MessengerSettings s = messenger.settings();
        if (connecting || was == Phase.WAIT) {
            if (was == Phase.WAIT) {
                backoffNanos = s.maxBackoffNanos();
            } else if (backoffNanos == 0) {
                backoffNanos = s.initialBackoffNanos();
            } else {
                backoffNanos = Math.min(backoffNanos * 2, s.maxBackoffNanos());
            }
            phase = Phase.WAIT;
            messenger.counters().backoffs.increment();
            LOG.debug("{}: waiting {} ms before reconnecting", this, backoffNanos / 1_000_000);
            retryTimer = center.createTimeEvent(backoffNanos, this::startConnect);
            return;
        }
        if (policy.server()) {
            phase = Phase.STANDBY;
            return;
        }
        connectSeq++;
        backoffNanos = 0;
        messenger.counters().reconnects.increment();
        startConnect();
    }

    /** Ceph's {@code stop}: closed for good; queues released; listeners hear a reset if asked. */
    void stop(String reason, boolean notify) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        if (lastError == null) {
            lastError = reason;
        }
        cancelTimer(retryTimer);
        cancelTimer(tickTimer);
        cancelTimer(throttleTimer);
        retryTimer = tickTimer = throttleTimer = null;
        closeSocket();
        resetReadState();
        discardOutQueue();
        messenger.connectionClosed(this, reason, notify);
    }

    private void closeSocket() {
        if (fileEvent != null) {
            fileEvent.cancel();
            fileEvent = null;
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
        outgoingBytes.clear();
        writer.discard();
        received.clear();
        readPaused = false;
    }

    private void resetReadState() {
        long give = reader.reset();
        if (give >= 0) {
            messenger.throttle().release(give);
        }
        received.clear();
        if (throttleTimer != null) {
            throttleTimer.cancel();
            throttleTimer = null;
        }
        readPaused = false;
    }

    /** Ceph's {@code requeue_sent}: unacknowledged messages go back to the front of the highest queue. */
    private void requeueSent() {
        if (sent.isEmpty()) {
            return;
        }
        ArrayDeque<Message> rq = outQueue.computeIfAbsent(Message.PRIORITY_HIGHEST, p -> new ArrayDeque<>());
        outSeq -= sent.size();
        while (!sent.isEmpty()) {
            rq.addFirst(sent.pollLast());
            queuedCount++;
        }
        sentCount = 0;
    }

    /** Ceph's {@code discard_requeued_up_to}: drop requeued messages the peer already has. */
    private void discardRequeuedUpTo(long seq) {
        ArrayDeque<Message> rq = outQueue.get(Message.PRIORITY_HIGHEST);
        long count = outSeq;
        if (rq != null) {
            while (!rq.isEmpty()) {
                Message m = rq.peekFirst();
                if (m.seq() == 0 || m.seq() > seq) {
                    break;
                }
                rq.pollFirst().release();
                queuedCount--;
                count++;
            }
            if (rq.isEmpty()) {
                outQueue.remove(Message.PRIORITY_HIGHEST);
            }
        }
        outSeq = rq == null ? seq : count;
    }

    /**
     * The peer lost our session (RESETSESSION). Ceph discards the out queue here, losing messages
     * on a lossless link (a known Ceph bug); we keep every queued and unacknowledged message and
     * renumber them from seq 1, so the new session delivers them.
     */
    private void sessionReset() {
        requeueSent();
        for (ArrayDeque<Message> q : outQueue.values()) {
            for (Message m : q) {
                m.seq(0);
            }
        }
        outSeq = 0;
        inSeq = 0;
        ackedInSeq = 0;
        onceReady = false;
    }

    private void discardOutQueue() {
        for (Message m : sent) {
            m.release();
        }
        sent.clear();
        for (ArrayDeque<Message> q : outQueue.values()) {
            for (Message m : q) {
                m.release();
            }
        }
        outQueue.clear();
        releaseWrittenLossy();
        Message m;
        while ((m = pendingSends.poll()) != null) {
            m.release();
        }
        queuedCount = 0;
        sentCount = 0;
    }

    private void releaseWrittenLossy() {
        Message m;
        while ((m = writtenLossy.pollFirst()) != null) {
            m.release();
        }
    }

    private void enterPhase(Phase next) {
        if (isHandshake(next) && !isHandshake(phase)) {
            handshakeStartedNanos = System.nanoTime();
        }
        phase = next;
    }

    private static boolean isHandshake(Phase p) {
        switch (p) {
            case CONNECTING_TCP:
            case CONNECTING_BANNER:
            case CONNECTING_REPLY:
            case CONNECTING_ACK_SEQ:
            case ACCEPTING_BANNER:
            case ACCEPTING_CONNECT:
            case ACCEPTING_SEQ:
                return true;
            default:
                return false;
        }
    }

    /**
     * Bad bytes from the peer: counted under {@code reason}'s counter, logged (rate-limited by the
     * messenger), and the connection faults — a half-accepted one just closes, a lossy one closes,
     * a lossless one reconnects or waits as its policy says. Loop thread. @return -1
     */
    private int badInput(LongAdder counter, String reason) {
        counter.increment();
        messenger.reportBadPeer(this, reason);
        fault(reason);
        return -1;
    }

    /** @return who is at the other end, for logs: the entity address once known, else the socket's. */
    String peerDescription() {
        EntityAddress p = peerAddress;
        if (p != null) {
            return p.toString();
        }
        ConnectedSocket s = socket;
        return s != null ? "socket " + s.remoteAddress() : "conn " + id;
    }

    private static void cancelTimer(TimeEvent t) {
        if (t != null) {
            t.cancel();
        }
    }

    private Worker workerOf(EventCenter c) {
        return messenger.workerFor(c);
    }

    /** For tests: breaks the socket under the session as a network fault would. Loop thread. */
    void injectSocketFailure(String why) {
        if (socket != null) {
            fault(why);
        }
    }

}
