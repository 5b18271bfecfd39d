package io.ferry.netstack.shm.stack;

import io.ferry.api.event.Pollable;
import io.ferry.api.event.Worker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every socket of the shm stack shares: its owning worker (load counted up while open), its
 * place in the stack's set of open sockets, and a close that runs on the owner's loop whichever
 * thread asks. {@link #close()} and {@link #failByStack()} may be called from any thread.
 */
abstract class ShmStackSocket implements Pollable {

    /** The open sockets of one stack, so that stopping it fails every one. Thread-safe. */
    static final class Tracker {
        private final Set<ShmStackSocket> open = ConcurrentHashMap.newKeySet();
        private volatile boolean failed;

        <T extends ShmStackSocket> T track(T socket) {
            open.add(socket);
            if (failed) {
                socket.failByStack();
            }
            return socket;
        }

        void remove(ShmStackSocket socket) {
            open.remove(socket);
        }

        int size() {
            return open.size();
        }

        /**
         * Raises the stack-wide flag first, then wakes each socket. A socket reacting to another
         * socket's failure (its peer closing, say) already sees the flag, even before its own turn
         * in the loop below: it reports {@code -ESHUTDOWN}, never the peer's end of stream.
         */
        void failAll() {
            beginFailing();
            for (ShmStackSocket s : open.toArray(new ShmStackSocket[0])) {
                s.failByStack();
            }
        }

        /** Raises the stack-wide flag only: from now on every socket of the stack reports {@code -ESHUTDOWN}. */
        void beginFailing() {
            failed = true;
        }

        java.util.List<String> describe() {
            java.util.List<String> lines = new java.util.ArrayList<>();
            for (ShmStackSocket s : open.toArray(new ShmStackSocket[0])) {
                lines.add(s instanceof ShmConnectedSocket ? ((ShmConnectedSocket) s).describe() : s.toString());
            }
            return lines;
        }

        void closeRemaining() {
            for (ShmStackSocket s : open.toArray(new ShmStackSocket[0])) {
                s.close();
            }
        }
    }

    protected final Worker worker;
    private final Tracker tracker;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set when the stack shut down: I/O then returns {@code -ESHUTDOWN}. */
    private volatile boolean failedByStack;

    protected ShmStackSocket(Worker worker, Tracker tracker) {
        this.worker = worker;
        this.tracker = tracker;
        worker.acquire();
    }

    /** @return true until {@link #close()}. */
    public final boolean isOpen() {
        return open.get();
    }

    /**
     * @return true once the stack began to shut down (its tracker's flag, raised before any socket
     *     is woken) or this socket was failed by it. Any thread.
     */
    protected final boolean failedByStack() {
        return failedByStack || tracker.failed;
    }

    /** Marks the socket failed by the stack's shutdown and wakes whoever waits on it. */
    public final void failByStack() {
        failedByStack = true;
        onFailedByStack();
    }

    /** Makes the socket readable and writable so that handlers run and see {@code -ESHUTDOWN}. Any thread. */
    protected abstract void onFailedByStack();

    /** Closes on the owner's loop, or here if the loop no longer runs. Idempotent; any thread. */
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
            worker.center().forget(this);
        }
        try {
            closeResource();
        } finally {
            worker.release();
            tracker.remove(this);
        }
    }

    /** Releases the channel, events and descriptors. Called once, on the loop if it still runs. */
    protected abstract void closeResource();
}
