package io.ferry.core.selftest;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.core.event.DefaultEventCenter;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Proves that the drivers of one {@link EventDriverFactory} deliver every kind of event: it
 * creates a driver, runs a {@link DefaultEventCenter} over it on a thread of its own, and for a
 * number of rounds measures
 * <ul>
 *   <li>a <b>file event</b>: another thread signals an eventfd (drivers that poll descriptors) or
 *       writes a byte into a {@link java.nio.channels.Pipe} (channel drivers); latency from the
 *       signal to the handler;</li>
 *   <li>a <b>time event</b>: scheduled {@value #TIMER_DELAY_MICROS} us ahead; how late it ran;</li>
 *   <li>an <b>external event</b> posted from another thread while the loop sleeps; latency from
 *       {@code execute} to the task, which proves the wake-up handshake.</li>
 * </ul>
 * The loop waits in its driver for far longer than the probe's timeout, so a lost wake-up or a
 * lost readiness shows up as a probe failure, never as a slow pass.
 *
 * <p><b>Threading:</b> {@link #run} blocks the calling thread (never an event-loop thread) for at
 * most about its timeout; it may be called from any other thread. The driver, the loop thread and
 * the signal source are released before it returns or throws.
 */
public final class DriverProbe {
    /** Delay of the probe's time events. */
    public static final long TIMER_DELAY_MICROS = 1_000;
    /** Pause before each signal, so that the loop is asleep in its driver when the signal comes. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Longest single wait of the loop: far beyond any probe, so only a wake-up ends a wait early. */
    private static final long STOP_MILLIS = 2_000;

    /**
     * What a probe measured; latencies are medians over the rounds, in nanoseconds.
     *
     * @param driver the driver's name
     * @param source what the file event waited on ({@code "eventfd"} or {@code "pipe"})
     */
    public record Report(String driver, String source, int rounds, long fileEventNanos, long timeEventLateNanos,
            long externalEventNanos) {

        /** @return one line, such as {@code "eventfd event 38 us, time event +61 us late, external event 22 us (median of 5)"}. */
        public String summary() {
            return String.format("%s event %d us, time event +%d us late, external event wake-up %d us (median of %d)",
                    source, micros(fileEventNanos), micros(timeEventLateNanos), micros(externalEventNanos), rounds);
        }

        private static long micros(long nanos) {
            return TimeUnit.NANOSECONDS.toMicros(nanos);
        }
    }

    private DriverProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param rounds how many times each event kind is measured, at least 1
     * @param timeoutMillis bound for each single wait (start, every event, stop)
     * @throws IOException if the driver cannot be created or refuses the signal source
     * @throws TimeoutException if an event did not fire in time (the message says which)
     */
    public static Report run(EventDriverFactory factory, int rounds, long timeoutMillis)
            throws IOException, TimeoutException, InterruptedException {
        if (rounds < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("rounds and timeout must be positive");
        }
        EventDriver driver = factory.create();
        ProbeLoop loop = new ProbeLoop("ferry-probe-" + factory.name(), driver);
        SignalSource source = null;
        try {
            loop.start(timeoutMillis);
            source = factory.pollsFileDescriptors() ? EventFdSource.open() : PipeSource.open();
            if (!driver.accepts(source.pollable())) {
                throw new IOException("driver " + driver.name() + " does not accept a " + source.name());
            }
            return measure(loop, source, factory.name(), rounds, timeoutMillis);
        } finally {
            loop.stop(STOP_MILLIS);
            if (source != null) {
                source.close();
            }
        }
    }

    private static Report measure(ProbeLoop loop, SignalSource source, String name, int rounds, long timeoutMillis)
            throws IOException, TimeoutException, InterruptedException {
        DefaultEventCenter center = loop.center;
        AtomicLong firedAt = new AtomicLong();
        // The handler runs on the loop; each round waits for the latch of that round.
        CountDownLatch[] fired = new CountDownLatch[1];
        FileEvent event = loop.call(() -> center.createFileEvent(source.pollable(), EventMask.READABLE, mask -> {
            firedAt.set(System.nanoTime());
            source.drain();
            CountDownLatch latch = fired[0];
            if (latch != null) {
                latch.countDown();
            }
        }), "register the " + source.name(), timeoutMillis);
        try {
            long[] file = new long[rounds];
            long[] timer = new long[rounds];
            long[] external = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                // File event.
                CountDownLatch latch = new CountDownLatch(1);
                loop.call(() -> fired[0] = latch, "arm round " + i, timeoutMillis);
                LockSupport.parkNanos(SETTLE_NANOS);
                long signalled = System.nanoTime();
                source.signal();
                if (!latch.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new TimeoutException(name + ": the " + source.name() + " file event did not fire within "
                            + timeoutMillis + " ms");
                }
                file[i] = firedAt.get() - signalled;

                // Time event, scheduled on the loop.
                CompletableFuture<Long> timerRan = new CompletableFuture<>();
                long deadline = loop.call(() -> center.createTimeEvent(
                        TimeUnit.MICROSECONDS.toNanos(TIMER_DELAY_MICROS), () -> timerRan.complete(System.nanoTime()))
                        .deadlineNanos(), "schedule a time event", timeoutMillis);
                timer[i] = Math.max(0, await(timerRan, name + ": the time event", timeoutMillis) - deadline);

                // External event from this thread while the loop sleeps.
                LockSupport.parkNanos(SETTLE_NANOS);
                CompletableFuture<Long> ran = new CompletableFuture<>();
                long posted = System.nanoTime();
                if (!center.execute(() -> ran.complete(System.nanoTime()))) {
                    throw new IOException(name + ": the event center refused an external event");
                }
                external[i] = await(ran, name + ": the external event (wake-up)", timeoutMillis) - posted;
            }
            return new Report(name, source.name(), rounds, EchoPattern.median(file), EchoPattern.median(timer),
                    EchoPattern.median(external));
        } finally {
            try {
                loop.call(() -> {
                    event.cancel();
                    return null;
                }, "cancel the file event", timeoutMillis);
            } catch (IOException | TimeoutException e) {
                // The loop is stopped next either way; stopping cancels what is left.
            }
        }
    }

    private static long await(CompletableFuture<Long> future, String what, long timeoutMillis)
            throws IOException, TimeoutException, InterruptedException {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what + " did not run within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        }
    }
}
