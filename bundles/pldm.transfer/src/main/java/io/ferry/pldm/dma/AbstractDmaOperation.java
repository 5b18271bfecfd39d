package io.ferry.pldm.dma;

import io.ferry.api.event.EventCenter;

/**
 * An operation's shared state machine: running until {@link #complete(int)} runs once, which
 * releases the subclass's resources first and then calls the completion. Confined to the center's
 * thread, except {@link #releaseAfterCenterShutdown()}.
 */
abstract class AbstractDmaOperation implements DmaOperation {
    private final AbstractDmaEngine engine;
    private final DmaRequest request;
    private final DmaPlan plan;
    private final EventCenter center;
    private final DmaCompletion completion;
    private boolean done;
    private boolean released;
    /** Chunk in progress. */
    int chunk;
    /** Bytes moved so far. */
    long transferred;

    AbstractDmaOperation(AbstractDmaEngine engine, DmaRequest request, DmaPlan plan, EventCenter center,
            DmaCompletion completion) {
        this.engine = engine;
        this.request = request;
        this.plan = plan;
        this.center = center;
        this.completion = completion;
    }

    /**
     * Acquires what the operation needs and schedules its first step; called once from start.
     *
     * @return SUCCESS, or the status to refuse the request with (resources already released)
     */
    abstract int begin();

    /** Frees descriptors, mappings and event registrations; on the center thread, once. */
    abstract void release();

    @Override
    public final DmaRequest request() {
        return request;
    }

    @Override
    public final DmaPlan plan() {
        return plan;
    }

    @Override
    public final long bytesTransferred() {
        return transferred;
    }

    @Override
    public final int chunkIndex() {
        return chunk;
    }

    @Override
    public final boolean isDone() {
        return done;
    }

    final EventCenter center() {
        return center;
    }

    final AbstractDmaEngine engine() {
        return engine;
    }

    @Override
    public final boolean cancel() {
        if (!center.inEventLoop()) {
            throw new IllegalStateException("DmaOperation.cancel must be called on " + center.name() + "'s thread");
        }
        if (done) {
            return false;
        }
        complete(DmaStatus.ECANCELED);
        return true;
    }

    /** Ends the operation once: release, then tell the completion. Later calls do nothing. */
    final void complete(int status) {
        if (done) {
            return;
        }
        done = true;
        releaseOnce();
        completion.onComplete(this, status, status == DmaStatus.SUCCESS ? plan.length() : transferred);
    }

    /** Engine close when the center already shut down: release without a completion. */
    final void releaseAfterCenterShutdown() {
        synchronized (this) {
            done = true;
            releaseOnce();
        }
    }

    private void releaseOnce() {
        if (released) {
            return;
        }
        released = true;
        try {
            release();
        } finally {
            engine.released(this);
        }
    }

    /** Schedules {@code step} on the center; if the center is shut down, fails the operation. */
    final void schedule(Runnable step) {
        if (!center.execute(step)) {
            complete(DmaStatus.ESHUTDOWN);
        }
    }

    /**
     * Schedules {@code step} for the next loop turn, after the loop polled its descriptors: a
     * zero-delay time event. ({@link EventCenter#execute} does not yield: the core center drains
     * tasks queued while it drains.) Fails the operation if the center is shut down.
     */
    final void yieldThen(Runnable step) {
        if (center.isShutdown()) {
            complete(DmaStatus.ESHUTDOWN);
            return;
        }
        center.createTimeEvent(0, step);
    }

    @Override
    public String toString() {
        return engine.name() + " DMA " + request + " chunk " + chunk + (plan != null ? "/" + plan.chunkCount() : "")
                + " moved " + transferred + (done ? " (done)" : "");
    }
}
