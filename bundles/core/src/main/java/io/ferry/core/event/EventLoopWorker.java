package io.ferry.core.event;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventDriver;
import io.ferry.api.event.Worker;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread running one {@link DefaultEventCenter} (Ceph's Worker). {@link #start()} and
 * {@link #stop(long)} may be called from any thread except the worker's own for {@code stop}.
 */
public final class EventLoopWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopWorker.class);
    /** Longest single wait in the driver; bounds how late a missed wake-up could be noticed. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final int id;
    private final DefaultEventCenter center;
    private final Thread thread;
    private final AtomicInteger load = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean running;
    private volatile long eventsProcessed;

    /**
     * @param threadName the thread's name, also the center's name
     * @param driver the driver this worker's center polls with; the worker closes it
     */
    public EventLoopWorker(int id, String threadName, EventDriver driver) {
        this.id = id;
        this.center = new DefaultEventCenter(threadName, driver);
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the thread and waits (bounded) until its center is bound to it. */
    public void start() {
        thread.start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(thread.getName() + " did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + thread.getName(), e);
        }
    }

    /**
     * Asks the loop to shut its center down (see {@link DefaultEventCenter#shutdownNow()}) and
     * waits at most {@code timeoutMillis} for the thread to end.
     *
     * @return true if the thread ended in time
     */
    public boolean stop(long timeoutMillis) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a worker cannot stop itself");
        }
        stopRequested = true;
        center.wakeup();
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("{} did not stop within {} ms; a handler is blocking its event loop", thread.getName(),
                    timeoutMillis);
            return false;
        }
        return true;
    }

    private void loop() {
        center.bindToCurrentThread();
        running = true;
        started.countDown();
        try {
            while (!stopRequested) {
                center.processEvents(MAX_WAIT_NANOS);
                eventsProcessed = center.eventsProcessed();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: event loop failed; the worker stops and its sockets fail", thread.getName(), e);
        } finally {
            try {
                center.shutdownNow();
            } catch (RuntimeException e) {
                LOG.error("{}: shutdown failed", thread.getName(), e);
            }
            eventsProcessed = center.eventsProcessed();
            running = false;
        }
    }

    /** @return the worker's thread, for diagnostics. */
    public Thread thread() {
        return thread;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public EventCenter center() {
        return center;
    }

    /** @return the center with its core-internal operations. */
    public DefaultEventCenter defaultCenter() {
        return center;
    }

    @Override
    public int load() {
        return load.get();
    }

    @Override
    public void acquire() {
        load.incrementAndGet();
    }

    @Override
    public void release() {
        load.decrementAndGet();
    }

    @Override
    public long eventsProcessed() {
        return eventsProcessed;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public String toString() {
        return thread.getName() + "[load " + load.get() + "]";
    }
}
