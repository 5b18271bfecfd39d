package io.ferry.core.selftest;

import io.ferry.api.event.EventDriver;
import io.ferry.core.event.DefaultEventCenter;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread running one {@link DefaultEventCenter} whose single waits are longer than any
 * wait of the probe, so that only a delivered event or a wake-up ends them in time. Unlike a
 * stack's worker it exists for one probe and is stopped by it.
 *
 * <p><b>Threading:</b> {@link #start}, {@link #call} and {@link #stop} are for one controlling
 * thread other than the loop's; each of their waits is bounded. {@link #stop} closes the driver
 * (through the center's shutdown) even when the loop thread never started.
 */
final class ProbeLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);

    /** Work for the loop thread. */
    @FunctionalInterface
    interface LoopTask<T> {
        T run() throws IOException;
    }

    final DefaultEventCenter center;
    private final EventDriver driver;
    private final Thread thread;
    private final CountDownLatch bound = new CountDownLatch(1);
    private final long waitNanos;
    private volatile boolean stopRequested;
    private volatile boolean started;

    /**
     * @param waitNanos the loop's longest single wait: longer than any wait of the probe, so that a
     *     lost wake-up fails the probe, and short enough that a loop deaf to wake-ups still ends
     *     soon after {@link #stop}
     */
    ProbeLoop(String name, EventDriver driver, long waitNanos) {
        this.driver = driver;
        this.waitNanos = waitNanos;
        this.center = new DefaultEventCenter(name, driver);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /** Starts the thread and waits until the center is bound to it. */
    void start(long timeoutMillis) throws TimeoutException, InterruptedException {
        started = true;
        thread.start();
        if (!bound.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(thread.getName() + " did not start within " + timeoutMillis + " ms");
        }
    }

    /**
     * Runs {@code task} on the loop as an external event and waits for its result.
     *
     * @param what names the task in failure messages
     */
    <T> T call(LoopTask<T> task, String what, long timeoutMillis)
            throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = center.execute(() -> {
            try {
                result.complete(task.run());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        if (!queued) {
            throw new IOException(center.name() + " is shut down; cannot " + what);
        }
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(center.name() + ": could not " + what + " within " + timeoutMillis
                    + " ms (the loop did not wake up)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException(center.name() + ": could not " + what + ": " + cause, cause);
        }
    }

    /**
     * Stops the loop: the center shuts down on its thread and closes the driver. Waits at most
     * {@code timeoutMillis} for the thread to end.
     *
     * @return true if the thread ended (or never started)
     */
    boolean stop(long timeoutMillis) throws InterruptedException {
        if (!started) {
            driver.close();
            return true;
        }
        stopRequested = true;
        // Straight to the driver as well: the center skips the wake-up when it believes the loop
        // awake, which a probe that just lost a wake-up has disproved.
        center.execute(() -> { });
        driver.wakeup();
        thread.join(timeoutMillis);
        if (thread.isAlive()) {
            LOG.error("{} did not stop within {} ms", thread.getName(), timeoutMillis);
            return false;
        }
        return true;
    }

    /** @return true while the loop thread runs. */
    boolean isAlive() {
        return thread.isAlive();
    }

    private void loop() {
        center.bindToCurrentThread();
        bound.countDown();
        try {
            while (!stopRequested) {
                center.processEvents(waitNanos);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: event loop failed", thread.getName(), e);
        } finally {
            center.shutdownNow();
        }
    }
}
