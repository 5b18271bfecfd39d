package io.ferry.core.event;

import io.ferry.api.event.EventDriver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loop like {@link EventLoopWorker}'s but with a chosen longest wait, so that a test can prove a
 * wake-up: with a wait of an hour, only {@code execute}'s wake-up lets a task run within a test's
 * bound. Ends with {@link DefaultEventCenter#shutdownNow()} on its own thread.
 */
final class ManualLoop implements AutoCloseable {
    final DefaultEventCenter center;
    private final Thread thread;
    private final long maxWaitNanos;
    private final CountDownLatch bound = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    ManualLoop(String name, EventDriver driver, Duration maxWait) {
        this.center = new DefaultEventCenter(name, driver);
        this.maxWaitNanos = maxWait.toNanos();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    ManualLoop start() throws InterruptedException {
        thread.start();
        if (!bound.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError(thread.getName() + " did not start");
        }
        return this;
    }

    private void run() {
        center.bindToCurrentThread();
        bound.countDown();
        try {
            while (!stop) {
                center.processEvents(maxWaitNanos);
            }
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            center.shutdownNow();
        }
    }

    /** @return what the loop died of, or null. */
    Throwable failure() {
        return failure.get();
    }

    Thread thread() {
        return thread;
    }

    /** Stops the loop (bounded) and reports whether its thread ended. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        center.wakeup();
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not stop within 10 s");
        }
    }
}
