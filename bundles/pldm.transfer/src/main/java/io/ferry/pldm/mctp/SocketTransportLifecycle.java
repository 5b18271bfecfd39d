package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start/close life cycle the socket transports ({@link MctpDemuxServer},
 * {@link MctpDemuxClient}) share: NEW, then STARTED once, then CLOSED for good; {@link #close()}
 * from any thread hands the release to the center's thread; the close future completes once
 * everything is released.
 *
 * <p>{@link #close()} and {@link #closeFuture()} may be called from any thread; the rest from the
 * starting thread ({@link #beginStart}, {@link #startFailed}) or the center's thread.
 */
abstract class SocketTransportLifecycle implements MctpTransport, SocketLink.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(SocketTransportLifecycle.class);
    static final int NEW = 0;
    static final int STARTED = 1;
    static final int CLOSED = 2;

    final AtomicInteger state = new AtomicInteger(NEW);
    final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    volatile EventCenter center;
    /** Center thread only, once started. */
    boolean released;
    volatile MctpLinkListener linkListener = MctpLinkListener.NONE;

    @Override
    public final void setLinkListener(MctpLinkListener listener) {
        linkListener = Objects.requireNonNull(listener, "listener");
    }

    /** Tells the link listener, on the center's thread; a failing listener is logged. */
    final void notifyLinkClosed(MctpLink link) {
        try {
            linkListener.onLinkClosed(link);
        } catch (RuntimeException e) {
            LOG.error("{}: the link listener failed for {}", this, link, e);
        }
    }

    /** Moves NEW to STARTED. @throws IllegalStateException if started or closed before */
    final void beginStart(EventCenter center) {
        Objects.requireNonNull(center, "center");
        if (!state.compareAndSet(NEW, STARTED)) {
            throw new IllegalStateException(this + " was already started or closed");
        }
    }

    /** Marks the transport closed and complete after a start that failed, or a final release. */
    final void markClosed() {
        state.set(CLOSED);
        closeFuture.complete(null);
    }

    @Override
    public final void close() {
        int previous = state.getAndSet(CLOSED);
        if (previous == NEW) {
            closeFuture.complete(null);
            return;
        }
        if (previous == CLOSED) {
            return;
        }
        EventCenter c = center;
        if (c.inEventLoop()) {
            release();
        } else if (!c.execute(this::release)) {
            // The center shut down: its final firing of our file events released everything.
            LOG.debug("{}: closed after its event center shut down", this);
        }
    }

    /** Releases everything on the center's thread; idempotent; completes the close future. */
    abstract void release();

    @Override
    public final CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }
}
