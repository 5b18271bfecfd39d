package io.ferry.core.event;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.Worker;
import io.ferry.api.event.WorkerPool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A started set of {@link EventLoopWorker}s over one driver kind: what the posix stack runs on,
 * and what {@link WorkerPoolComponent} hands to other bundles as a {@link WorkerPool}. Usable
 * without OSGi: {@link #start(String, int, EventDriverFactory)}, use, {@link #close(long)}.
 *
 * <p>Any thread may call every method; {@code close} not from one of the pool's workers.
 */
public final class EventLoopWorkerPool implements WorkerPool {
    /** Most workers one pool may have. */
    public static final int MAX_WORKERS = 64;

    private final EventDriverFactory driverFactory;
    private final List<EventLoopWorker> workers;
    private final List<Worker> view;
    private volatile boolean closed;

    private EventLoopWorkerPool(EventDriverFactory driverFactory, List<EventLoopWorker> workers) {
        this.driverFactory = driverFactory;
        this.workers = workers;
        this.view = Collections.unmodifiableList(new ArrayList<>(workers));
    }

    /**
     * Creates one driver and one worker thread per worker, {@code prefix-0 .. prefix-(n-1)}, and
     * starts them. On failure every worker already started is stopped (5 s each at most) and the
     * drivers are closed.
     *
     * @throws IOException if the factory cannot create a driver
     * @throws IllegalArgumentException if {@code prefix} is empty or {@code count} is not 1..64
     */
    public static EventLoopWorkerPool start(String prefix, int count, EventDriverFactory driverFactory)
            throws IOException {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("thread name prefix must not be empty");
        }
        if (count < 1 || count > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be 1.." + MAX_WORKERS + ": " + count);
        }
        List<EventLoopWorker> created = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                EventLoopWorker w = new EventLoopWorker(i, prefix + "-" + i, driverFactory.create());
                created.add(w);
                w.start();
            }
        } catch (IOException | RuntimeException e) {
            for (EventLoopWorker w : created) {
                if (w.thread().isAlive()) {
                    w.stop(DEFAULT_CLOSE_TIMEOUT_MILLIS);
                } else {
                    w.center().driver().close(); // never started: nobody else closes its driver
                }
            }
            throw e;
        }
        return new EventLoopWorkerPool(driverFactory, Collections.unmodifiableList(created));
    }

    /** @return the workers with their implementation type (core-internal operations). */
    public List<EventLoopWorker> eventLoopWorkers() {
        return workers;
    }

    /**
     * @return the pool's own worker that is {@code worker}
     * @throws IllegalArgumentException if {@code worker} is not one of this pool's
     */
    public EventLoopWorker own(Worker worker) {
        for (EventLoopWorker w : workers) {
            if (w == worker) {
                return w;
            }
        }
        throw new IllegalArgumentException("worker " + worker + " does not belong to this pool");
    }

    @Override
    public String driverName() {
        return driverFactory.name();
    }

    @Override
    public boolean pollsFileDescriptors() {
        return driverFactory.pollsFileDescriptors();
    }

    @Override
    public List<Worker> workers() {
        return view;
    }

    @Override
    public EventLoopWorker leastLoadedWorker() {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        EventLoopWorker best = workers.get(0);
        for (EventLoopWorker w : workers) {
            if (w.load() < best.load()) {
                best = w;
            }
        }
        return best;
    }

    @Override
    public boolean contains(Worker worker) {
        for (EventLoopWorker w : workers) {
            if (w == worker) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized boolean close(long timeoutMillis) {
        if (closed) {
            return true;
        }
        for (EventLoopWorker w : workers) {
            if (Thread.currentThread() == w.thread()) {
                throw new IllegalStateException("a worker cannot close its own pool");
            }
        }
        closed = true;
        boolean all = true;
        for (EventLoopWorker w : workers) {
            all &= w.stop(timeoutMillis);
        }
        return all;
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT_MILLIS);
    }

    @Override
    public String toString() {
        return "worker pool [" + driverFactory.name() + ", " + workers.size() + " workers]";
    }
}
