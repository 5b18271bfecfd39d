package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of a pair of connected in-JVM MCTP endpoints, for tests and the remote-terminus
 * simulator: {@link #pair} makes two ends with their own eids, each started on its own (or the
 * same) {@link EventCenter}. {@code a.send(b.localEid(), m)} copies {@code m} and delivers it to
 * {@code b}'s receiver through {@link EventCenter#execute} on {@code b}'s center (never as a
 * synchronous call, so a receiver that answers cannot recurse), with {@code a.localEid()} as the
 * eid, as the demux framing gives the source when receiving.
 *
 * <p>Each end allows at most {@code queueCapacity} of its messages in flight (sent, not yet
 * delivered); beyond that {@link #send} returns {@link #BACK_PRESSURED}. Messages reaching an end
 * that is closed are dropped and counted as dropped on close; messages shorter than a PLDM header
 * are counted as malformed and dropped, so the simulator can send bad input.
 *
 * <p>Unlike the socket transports this one copies each message into a new array: it is meant for
 * tests and simulation, not for the hot path. Threading: see {@link MctpTransport}.
 */
public final class InJvmMctpTransport implements MctpTransport {
    private final int localEid;
    private final MctpReceiver receiver;
    private final int maxMessageLength;
    private final int queueCapacity;
    private final MctpCounters counters = new MctpCounters();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private InJvmMctpTransport peer;
    private volatile EventCenter center;
    private volatile boolean closed;
    private volatile MctpLinkListener linkListener = MctpLinkListener.NONE;
    private final java.util.concurrent.atomic.AtomicBoolean linkClosedTold = new java.util.concurrent.atomic.AtomicBoolean();

    private InJvmMctpTransport(int localEid, MctpReceiver receiver, int maxMessageLength, int queueCapacity) {
        if (!MctpFraming.isUnicastEid(localEid)) {
            throw new IllegalArgumentException("eid must be 1..254, not " + localEid);
        }
        this.localEid = localEid;
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.maxMessageLength = maxMessageLength;
        this.queueCapacity = queueCapacity;
    }

    /**
     * @return two connected ends: [0] with {@code eidA} and {@code receiverA}, [1] with {@code eidB}
     *     and {@code receiverB}; {@link MctpConfig}'s default limits
     */
    public static InJvmMctpTransport[] pair(int eidA, MctpReceiver receiverA, int eidB, MctpReceiver receiverB) {
        return pair(eidA, receiverA, eidB, receiverB, MctpConfig.MAX_MESSAGE_LENGTH_DEFAULT, MctpConfig.QUEUE_CAPACITY_DEFAULT);
    }

    /** As {@link #pair(int, MctpReceiver, int, MctpReceiver)} with explicit limits. */
    public static InJvmMctpTransport[] pair(int eidA, MctpReceiver receiverA, int eidB, MctpReceiver receiverB,
            int maxMessageLength, int queueCapacity) {
        if (eidA == eidB) {
            throw new IllegalArgumentException("both ends have eid " + eidA);
        }
        if (queueCapacity < 1 || maxMessageLength < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        InJvmMctpTransport a = new InJvmMctpTransport(eidA, receiverA, maxMessageLength, queueCapacity);
        InJvmMctpTransport b = new InJvmMctpTransport(eidB, receiverB, maxMessageLength, queueCapacity);
        a.peer = b;
        b.peer = a;
        return new InJvmMctpTransport[] {a, b};
    }

    /** @return this end's endpoint id. */
    public int localEid() {
        return localEid;
    }

    /** Binds this end to {@code center}; nothing to open. */
    @Override
    public void start(EventCenter center) {
        Objects.requireNonNull(center, "center");
        synchronized (this) {
            if (this.center != null || closed) {
                throw new IllegalStateException(this + " was already started or closed");
            }
            this.center = center;
        }
    }

    /**
     * @return as {@link MctpLink#send}; {@link #NO_ROUTE} when {@code eid} is not the peer's,
     *     {@link #NOT_CONNECTED} when either end is closed or the peer is not started
     */
    @Override
    public int send(int eid, ByteBuffer message) {
        EventCenter c = center;
        if (c == null || closed) {
            return NOT_CONNECTED;
        }
        if (!c.inEventLoop()) {
            return WRONG_THREAD;
        }
        int length = message.remaining();
        if (eid < 0 || eid > MctpFraming.MAX_EID || length == 0) {
            return INVALID_ARGUMENT;
        }
        if (length > maxMessageLength) {
            return TOO_LARGE;
        }
        InJvmMctpTransport to = peer;
        if (eid != to.localEid) {
            return NO_ROUTE;
        }
        EventCenter target = to.center;
        if (target == null || to.closed) {
            return NOT_CONNECTED;
        }
        if (inFlight.get() >= queueCapacity) {
            counters.countBackPressured();
            return BACK_PRESSURED;
        }
        byte[] copy = new byte[length];
        message.get(message.position(), copy);
        inFlight.incrementAndGet();
        if (!target.execute(() -> to.deliver(this, copy))) {
            inFlight.decrementAndGet();
            return NOT_CONNECTED;
        }
        counters.countSent();
        return OK;
    }

    /** On this end's center thread. */
    private void deliver(InJvmMctpTransport from, byte[] message) {
        from.inFlight.decrementAndGet();
        if (closed) {
            counters.countDroppedOnClose(1);
            return;
        }
        if (message.length < MctpFraming.MIN_PLDM_MESSAGE) {
            counters.countMalformed();
            return;
        }
        counters.countReceived();
        receiver.onMessage(this, from.localEid, ByteBuffer.wrap(message));
    }

    /** @return true while this end is started and neither it nor its peer is closed. */
    @Override
    public boolean isOpen() {
        return center != null && !closed && !peer.closed;
    }

    @Override
    public void setLinkListener(MctpLinkListener listener) {
        linkListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Closes this end at once (no descriptors to release); the peer's later sends get
     * {@link #NOT_CONNECTED}. Both ends' link listeners are told, each on its own center: this end
     * closed, and for the peer its link now leads nowhere (the terminus went away).
     */
    @Override
    public void close() {
        closed = true;
        closeFuture.complete(null);
        tellLinkClosed();
        InJvmMctpTransport p = peer;
        if (p != null) {
            p.tellLinkClosed();
        }
    }

    private void tellLinkClosed() {
        EventCenter c = center;
        if (c != null && linkClosedTold.compareAndSet(false, true)) {
            c.execute(() -> linkListener.onLinkClosed(this));
        }
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public MctpCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return "in-JVM MCTP endpoint eid " + localEid;
    }
}
