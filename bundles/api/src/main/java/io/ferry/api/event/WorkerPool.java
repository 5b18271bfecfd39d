package io.ferry.api.event;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A fixed set of running {@link Worker}s made by a {@link WorkerPoolFactory}; its creator owns it
 * and closes it.
 *
 * <p><b>Threading:</b> every method may be called from any thread, except that {@link #close()}
 * and {@link #close(long)} must not be called from one of the pool's own workers (they throw
 * {@link IllegalStateException}: a thread cannot wait for itself to end).
 *
 * <p><b>Shutdown:</b> closing stops every worker as {@link EventCenter} describes (queued external
 * events run once, file events fire once with {@link EventMask#ALL} so their owners fail pending
 * work, timers are dropped, drivers closed) and waits a bounded time for the threads. It never
 * hangs: a worker stuck in a blocking handler is reported (logged, and {@code false} returned)
 * and left behind as a daemon thread.
 */
@ProviderType
public interface WorkerPool extends AutoCloseable {
    /** How long {@link #close()} waits for each worker thread, in milliseconds. */
    long DEFAULT_CLOSE_TIMEOUT_MILLIS = 5_000;

    /** @return the driver the workers poll with ({@code epoll} or {@code nio}; never {@code auto}). */
    String driverName();

    /** @return true if the driver waits on raw file descriptors (epoll), so {@link Pollable#fd()} works. */
    boolean pollsFileDescriptors();

    /** @return the workers, index {@code i} having {@link Worker#id()} {@code i}; unmodifiable. */
    List<Worker> workers();

    /**
     * @return the running worker with the smallest {@link Worker#load()} (the first among equals)
     * @throws IllegalStateException once the pool is closed
     */
    Worker leastLoadedWorker();

    /** @return true if {@code worker} is one of this pool's workers. */
    boolean contains(Worker worker);

    /** @return true once {@link #close(long)} or {@link #close()} was called. */
    boolean isClosed();

    /**
     * Stops every worker, waiting at most {@code timeoutMillis} for each thread. Idempotent: a
     * second call returns true at once.
     *
     * @return true if every thread ended in time
     */
    boolean close(long timeoutMillis);

    /** Stops the workers, waiting at most {@link #DEFAULT_CLOSE_TIMEOUT_MILLIS} per thread. */
    @Override
    void close();
}
