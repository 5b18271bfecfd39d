package io.ferry.messenger.internal;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.Worker;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.ConnectionListener;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.wire.ConnectMessage;
import io.ferry.messenger.wire.EntityAddrCodec;
import io.ferry.messenger.wire.Msgr;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ceph's {@code AsyncMessenger} over a Ferry {@link NetworkStack}: {@link Processor}s bind and
 * accept, connections run on the stack's workers, {@code conns} maps peer addresses to sessions,
 * and the accept decisions of {@code handle_connect_message_2} are taken here under one lock.
 *
 * <p>Threading: the {@link Messenger} methods may be called from any thread. Dispatchers and
 * listeners are called on connection threads.
 */
public final class AsyncMessenger implements Messenger {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncMessenger.class);
    static final int BAD_PEER_LOG_BURST = 20;
    static final long BAD_PEER_LOG_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final NetworkStack stack;
    private final MessengerSettings settings;
    private final Throttle throttle;
    private final MessengerCounters counters = new MessengerCounters();
    private final AtomicInteger globalSeq = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Object acceptLock = new Object();
    private final Map<EntityAddress, AsyncConnection> conns = new ConcurrentHashMap<>();
    private final Set<AsyncConnection> anonymous = ConcurrentHashMap.newKeySet();
    private final Set<AsyncConnection> accepting = ConcurrentHashMap.newKeySet();
    private final List<Processor> processors = new CopyOnWriteArrayList<>();
    private final List<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Policy> policies = new ConcurrentHashMap<>();
    private volatile Policy defaultPolicy = Policy.losslessClient();
    private volatile EntityAddress myAddress;
    private volatile int boundPort;
    private volatile boolean shutdown;
    private volatile String lastBadPeer;
    private final AtomicLong badPeerWindowStart = new AtomicLong(System.nanoTime());
    private final AtomicInteger badPeersLogged = new AtomicInteger();
    private final AtomicLong badPeersNotLogged = new AtomicLong();

    public AsyncMessenger(NetworkStack stack, MessengerSettings settings) {
        this.stack = stack;
        this.settings = settings;
        this.throttle = new Throttle(settings.throttleMessages(), settings.throttleBytes());
        this.myAddress = EntityAddress.blank(settings.nonce());
    }

    // ------------------------------------------------------------------ Messenger

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public EntityName myName() {
        return settings.myName();
    }

    @Override
    public EntityAddress myAddress() {
        return myAddress;
    }

    @Override
    public EntityAddress bind(InetSocketAddress address) throws IOException {
        if (shutdown) {
            throw new IllegalStateException("messenger " + name() + " is shut down");
        }
        Processor p = new Processor(this, stack, address);
        processors.add(p);
        InetSocketAddress bound = p.boundAddress();
        boundPort = bound.getPort();
        myAddress = new EntityAddress(settings.nonce(), bound);
        p.start();
        LOG.info("messenger {} ({}) bound to {}", name(), myName(), myAddress);
        return myAddress;
    }

    @Override
    public void setPolicy(int peerType, Policy policy) {
        policies.put(peerType, policy);
    }

    @Override
    public Policy policy(int peerType) {
        return policies.getOrDefault(peerType, defaultPolicy);
    }

    @Override
    public void setDefaultPolicy(Policy policy) {
        this.defaultPolicy = policy;
    }

    @Override
    public Connection connect(EntityAddress peer, int peerType) {
        return connect(peer, peerType, policy(peerType));
    }

    @Override
    public Connection connect(EntityAddress peer, int peerType, Policy policy) {
        AsyncConnection conn;
        synchronized (acceptLock) {
            if (shutdown) {
                throw new IllegalStateException("messenger " + name() + " is shut down");
            }
            AsyncConnection existing = conns.get(peer);
            if (existing != null && existing.phase() != AsyncConnection.Phase.CLOSED) {
                return existing;
            }
            conn = new AsyncConnection(this, stack.leastLoadedWorker(), true, peer, peerType, policy,
                    connectionIds.incrementAndGet());
            conns.put(peer, conn);
        }
        conn.runOnLoop(conn::startConnect);
        return conn;
    }

    @Override
    public void addDispatcher(Dispatcher dispatcher) {
        dispatchers.add(dispatcher);
    }

    @Override
    public void removeDispatcher(Dispatcher dispatcher) {
        dispatchers.remove(dispatcher);
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public List<Connection> connections() {
        List<Connection> all = new ArrayList<>(conns.values());
        all.addAll(anonymous);
        all.addAll(accepting);
        return all;
    }

    @Override
    public void shutdown() {
        synchronized (acceptLock) {
            if (shutdown) {
                return;
            }
            shutdown = true;
        }
        for (Processor p : processors) {
            p.stop();
        }
        processors.clear();
        for (Connection c : connections()) {
            c.markDown();
        }
        LOG.info("messenger {} shut down", name());
    }

    /**
     * Waits (bounded) until every connection closed after {@link #shutdown()}.
     *
     * @return true if none is left
     */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!connections().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** @return the last bad peer input that closed a connection ({@code who: why}), or null. */
    public String lastBadPeer() {
        return lastBadPeer;
    }

    /** @return the counters (for status output and tests). */
    public MessengerCounters counters() {
        return counters;
    }

    /** @return messages received and still held by dispatchers. */
    public long messagesHeld() {
        return throttle.messagesHeld();
    }

    /** @return payload bytes received and still held by dispatchers. */
    public long bytesHeld() {
        return throttle.bytesHeld();
    }

    public MessengerSettings settings() {
        return settings;
    }

    public NetworkStack stack() {
        return stack;
    }

    /** @return the connection registered for {@code peer}, or null. */
    public Connection lookup(EntityAddress peer) {
        return conns.get(peer);
    }

    /** For tests: breaks the socket of {@code connection} as a network fault would (a forced reset). */
    public void injectSocketFailure(Connection connection, String why) {
        AsyncConnection c = (AsyncConnection) connection;
        c.runOnLoop(() -> c.injectSocketFailure(why));
    }

    // ------------------------------------------------------------------ for connections

    Throttle throttle() {
        return throttle;
    }

    long tickNanos() {
        long t = TimeUnit.SECONDS.toNanos(1);
        if (settings.keepaliveIntervalNanos() > 0) {
            t = Math.min(t, settings.keepaliveIntervalNanos());
        }
        if (settings.keepaliveTimeoutNanos() > 0) {
            t = Math.min(t, Math.max(1_000_000, settings.keepaliveTimeoutNanos() / 4));
        }
        return Math.min(t, Math.max(1_000_000, settings.connectTimeoutNanos() / 4));
    }

    /** Ceph's {@code get_global_seq(old)}: a number above both ours and the peer's. */
    int nextGlobalSeq(int atLeast) {
        while (true) {
            int cur = globalSeq.get();
            int next = Math.max(cur, atLeast) + 1;
            if (globalSeq.compareAndSet(cur, next)) {
                return next;
            }
        }
    }

    /** The peer told us which IP it sees us at; adopt it while ours is blank (Ceph's learned_addr). */
    void learnedAddress(EntityAddress seen) {
        EntityAddress mine = myAddress;
        if (mine.isBlankIp() && !seen.isBlankIp()) {
            myAddress = new EntityAddress(settings.nonce(), new InetSocketAddress(seen.address().getAddress(), boundPort));
        }
    }

    /** @return our address as announced on an accepted socket (the socket's local IP if bound to the wildcard). */
    EntityAddress addressSeenOn(ConnectedSocket socket) {
        EntityAddress mine = myAddress;
        if (mine.isBlankIp() && socket.localAddress() instanceof InetSocketAddress) {
            InetSocketAddress local = (InetSocketAddress) socket.localAddress();
            return new EntityAddress(settings.nonce(), new InetSocketAddress(local.getAddress(), boundPort));
        }
        return mine;
    }

    /**
     * A connection is closed for bad input: logged at WARN, at most {@link #BAD_PEER_LOG_BURST}
     * lines per {@link #BAD_PEER_LOG_WINDOW_NANOS} (then one line with the number left out), so a
     * flood of bad peers cannot flood the log. Any thread.
     */
    void reportBadPeer(AsyncConnection conn, String reason) {
        String who = conn.peerDescription();
        lastBadPeer = who + ": " + reason;
        long now = System.nanoTime();
        long start = badPeerWindowStart.get();
        if (now - start > BAD_PEER_LOG_WINDOW_NANOS && badPeerWindowStart.compareAndSet(start, now)) {
            badPeersLogged.set(0);
            long skipped = badPeersNotLogged.getAndSet(0);
            if (skipped > 0) {
                LOG.warn("messenger {}: {} more connections closed for bad input (not logged one by one; see counters)",
                        name(), skipped);
            }
        }
        if (badPeersLogged.incrementAndGet() <= BAD_PEER_LOG_BURST) {
            LOG.warn("messenger {}: closing {}: {}", name(), who, reason);
        } else {
            badPeersNotLogged.incrementAndGet();
            LOG.debug("messenger {}: closing {}: {}", name(), who, reason);
        }
    }

    Worker workerFor(EventCenter center) {
        for (Worker w : stack.workers()) {
            if (w.center() == center) {
                return w;
            }
        }
        throw new IllegalStateException("no worker of stack " + stack.type() + " runs " + center.name());
    }

    void accepted(ConnectedSocket socket) {
        if (shutdown) {
            socket.close();
            return;
        }
        counters.accepted.increment();
        AsyncConnection conn = new AsyncConnection(this, socket.worker(), false, null, -1, defaultPolicy,
                connectionIds.incrementAndGet());
        accepting.add(conn);
        if (!socket.worker().center().execute(() -> conn.startAccept(socket))) {
            accepting.remove(conn);
            socket.close();
        }
    }

    /**
     * Ceph's {@code handle_connect_message_2}: what to answer a peer's connect message. Runs on
     * {@code conn}'s loop.
     *
     * @return true if {@code conn} keeps its socket (false after a replace handed it over)
     */
    boolean handleConnectMessage(AsyncConnection conn, ConnectMessage connect) {
        int hostType = connect.hostType();
        Policy p = policy(hostType);
        conn.setAcceptedPeer(hostType, p);
        if (connect.protocolVersion() != conn.acceptProtocolVersion()) {
            counters.refusals.increment();
            LOG.info("messenger {}: {} announced protocol {}, we speak {}: BADPROTOVER", name(), conn.peerAddress(),
                    connect.protocolVersion(), conn.acceptProtocolVersion());
            conn.sendConnectReply(Msgr.TAG_BADPROTOVER, connect, 0, 0);
            return true;
        }
        long missing = p.featuresRequired() & ~connect.features();
        if (missing != 0) {
            counters.refusals.increment();
            LOG.info("messenger {}: {} lacks required features 0x{}: FEATURES", name(), conn.peerAddress(),
                    Long.toHexString(missing));
            conn.sendConnectReply(Msgr.TAG_FEATURES, connect, 0, 0);
            return true;
        }
        int auth = connect.authorizerProtocol();
        if (auth != Msgr.AUTH_UNKNOWN && auth != Msgr.AUTH_NONE) {
            counters.refusals.increment();
            LOG.info("messenger {}: {} offered authorizer protocol {}; only none is accepted: BADAUTHORIZER", name(),
                    conn.peerAddress(), auth);
            conn.sendConnectReply(Msgr.TAG_BADAUTHORIZER, connect, 0, 0);
            return true;
        }
        if (p.server() && p.lossy()) {
            accepting.remove(conn);
            anonymous.add(conn);
            conn.openAccepted(connect);
            return true;
        }
        synchronized (acceptLock) {
            if (shutdown) {
                conn.stop("messenger shut down", false);
                return false;
            }
            EntityAddress peer = conn.peerAddress();
            AsyncConnection existing = conns.get(peer);
            if (existing == conn) {
                existing = null;
            }
            if (existing != null && existing.phase() == AsyncConnection.Phase.CLOSED) {
                conns.remove(peer, existing);
                existing = null;
            }
            if (existing != null) {
                if (existing.isReplacing()) {
                    conn.sendConnectReply(Msgr.TAG_RETRY_GLOBAL, connect, existing.peerGlobalSeq(), 0);
                    return true;
                }
                if (connect.globalSeq() < existing.peerGlobalSeq()) {
                    conn.sendConnectReply(Msgr.TAG_RETRY_GLOBAL, connect, existing.peerGlobalSeq(), 0);
                    return true;
                }
                if (existing.policy().lossy()) {
                    AsyncConnection old = existing;
                    old.runOnLoop(() -> old.stop("replaced by a new connection from the peer", true));
                    conns.remove(peer, old);
                    return openNew(conn, connect);
                }
                if (connect.connectSeq() == 0 && existing.connectSeq() > 0) {
                    // the peer reset and connects again: replace, starting its sequence afresh
                    return replace(conn, existing, true);
                }
                if (connect.connectSeq() < existing.connectSeq()) {
                    conn.sendConnectReply(Msgr.TAG_RETRY_SESSION, connect, 0, existing.connectSeq() + 1);
                    return true;
                }
                if (connect.connectSeq() == existing.connectSeq()) {
                    AsyncConnection.Phase ep = existing.phase();
                    if (ep == AsyncConnection.Phase.OPEN || ep == AsyncConnection.Phase.STANDBY) {
                        if (p.resetcheck() && existing.connectSeq() == 0) {
                            return replace(conn, existing, false);
                        }
                        conn.sendConnectReply(Msgr.TAG_RETRY_SESSION, connect, 0, existing.connectSeq() + 1);
                        return true;
                    }
                    if (compare(peer, myAddress) < 0 || existing.policy().server()) {
                        return replace(conn, existing, false);
                    }
                    existing.sendKeepalive();
                    conn.sendConnectReply(Msgr.TAG_WAIT, connect, 0, 0);
                    return true;
                }
                if (p.resetcheck() && existing.connectSeq() == 0) {
                    conn.sendConnectReply(Msgr.TAG_RESETSESSION, connect, 0, 0);
                    return true;
                }
                return replace(conn, existing, false);
            }
            if (!conn.isReplacing() && connect.connectSeq() > 0) {
                conn.sendConnectReply(Msgr.TAG_RESETSESSION, connect, 0, 0);
                return true;
            }
            return openNew(conn, connect);
        }
    }

    private boolean openNew(AsyncConnection conn, ConnectMessage connect) {
        accepting.remove(conn);
        conns.put(conn.peerAddress(), conn);
        conn.openAccepted(connect);
        return true;
    }

    /** Ceph's {@code replace} for a lossless existing session: it adopts the new socket. */
    private boolean replace(AsyncConnection conn, AsyncConnection existing, boolean hardReset) {
        counters.replaced.increment();
        Worker w = conn.worker();
        ConnectedSocket s = conn.detachSocket();
        accepting.remove(conn);
        existing.beginReplace();
        existing.runOnLoop(() -> existing.adoptSocket(s, w, hardReset));
        return false;
    }

    /** Orders addresses as Ceph's {@code entity_addr_t::operator<} does on both sides alike. */
    static int compare(EntityAddress a, EntityAddress b) {
        return Arrays.compareUnsigned(EntityAddrCodec.encode(a), EntityAddrCodec.encode(b));
    }

    void dispatch(AsyncConnection conn, Message m) {
        int type = m.type();
        for (Dispatcher d : dispatchers) {
            try {
                if (d.wants(type) && d.dispatch(conn, m)) {
                    return;
                }
            } catch (RuntimeException e) {
                counters.dispatchErrors.increment();
                LOG.warn("messenger {}: dispatcher {} failed on {}: {}", name(), d, m, e.toString());
                m.release();
                return;
            }
        }
        counters.unhandled.increment();
        m.release();
    }

    void connectionClosed(AsyncConnection conn, String reason, boolean notify) {
        EntityAddress peer = conn.peerAddress();
        if (peer != null) {
            conns.remove(peer, conn);
        }
        anonymous.remove(conn);
        accepting.remove(conn);
        if (notify) {
            notifyListeners(l -> l.onReset(conn, reason));
        }
    }

    void notifyConnect(AsyncConnection conn) {
        notifyListeners(l -> l.onConnect(conn));
    }

    void notifyAccept(AsyncConnection conn) {
        notifyListeners(l -> l.onAccept(conn));
    }

    void notifyFault(AsyncConnection conn, String reason) {
        notifyListeners(l -> l.onFault(conn, reason));
    }

    void notifyRemoteReset(AsyncConnection conn) {
        notifyListeners(l -> l.onRemoteReset(conn));
    }

    private void notifyListeners(Consumer<ConnectionListener> call) {
        for (ConnectionListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("messenger {}: listener {} failed: {}", name(), l, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "AsyncMessenger[" + name() + " " + myName() + " " + myAddress + " on " + stack.type() + "]";
    }
}
