package io.ferry.core.posix;

import io.ferry.api.event.Pollable;
import io.ferry.core.event.EventLoopWorker;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every socket of the posix stack shares: its owning worker, its place in the stack's
 * {@link SocketTracker}, and a close that runs on the owner's loop whichever thread asks.
 *
 * <p>{@link #close()} and {@link #failByStack()} may be called from any thread; subclasses do their
 * I/O on the owner's thread only.
 */
public abstract class StackSocket implements Pollable {
    protected final EventLoopWorker worker;
    private final SocketTracker tracker;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set when the stack shut down: I/O then returns {@code -ESHUTDOWN}. */
    protected volatile boolean failedByStack;

    /**
     * Counts the worker's load up. The provider hands the fully constructed socket to
     * {@link SocketTracker#track}, so a stack stopping meanwhile never sees a half-built socket.
     */
    protected StackSocket(EventLoopWorker worker, SocketTracker tracker) {
        this.worker = worker;
        this.tracker = tracker;
        worker.acquire();
    }

    /** @return true until {@link #close()}. */
    public final boolean isOpen() {
        return open.get();
    }

    /** Marks the socket failed by the stack's shutdown; its next I/O returns {@code -ESHUTDOWN}. */
    public final void failByStack() {
        failedByStack = true;
    }

    /** Closes on the owner's loop, or here if the loop no longer runs. Idempotent. */
    public final void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        if (worker.center().inEventLoop() || !worker.isRunning() || !worker.center().execute(this::closeNow)) {
            closeNow();
        }
    }

    private void closeNow() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        if (worker.center().inEventLoop()) {
            worker.defaultCenter().forget(this);
        }
        try {
            closeResource();
        } finally {
            worker.release();
            tracker.remove(this);
        }
    }

    /** Releases the descriptor or channel. Called once. */
    protected abstract void closeResource();
}
