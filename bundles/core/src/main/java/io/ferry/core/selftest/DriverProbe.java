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
 *       {@code execute} to the task, which proves the wake-up handshake;</li>
 *   <li>the same <b>after a burst</b>: {@value #BURST_THREADS} threads post external events as fast
 *       as the loop takes them for {@value #BURST_MILLIS} ms, the loop drains them and falls asleep,
 *       then one more event must still wake it. A wake-up handshake that loses a wake-up under
 *       contention (and so leaves the loop deaf to later ones) fails here.</li>
 * </ul>
 * The loop waits in its driver for far longer than the probe's timeout, so a lost wake-up or a
 * lost readiness shows up as a probe failure, never as a slow pass.
 *
 * <p><b>Threading:</b> {@link #run} blocks the calling thread, which must not be an event-loop
 * thread: a healthy probe takes about {@code rounds} x ({@value #BURST_MILLIS} ms + a few ms), and
 * every single wait is bounded by its timeout. The signal source is closed and the loop is told
 * to stop (which closes the driver) before it returns or throws; the loop thread ends at once, or,
 * if the driver no longer wakes, by the end of its current wait (at most ten seconds or five
 * timeouts).
 */
public final class DriverProbe {
    /** Delay of the probe's time events. */
    public static final long TIMER_DELAY_MICROS = 1_000;
    /** Threads posting external events in each burst. */
    public static final int BURST_THREADS = 2;
    /** Length of each burst. */
    public static final long BURST_MILLIS = 100;
    /** External events a burst keeps queued at most, so that a slow loop does not fill the heap. */
    private static final int BURST_WINDOW = 4096;
    /** Pause before each signal, so that the loop is asleep in its driver when the signal comes. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long STOP_MILLIS = 2_000;
    /** Shortest single wait of the probe's loop (at least five times the probe's own waits). */
    private static final long LOOP_WAIT_MIN_MILLIS = 10_000;

    /**
     * What a probe measured; latencies are medians over the rounds, in nanoseconds.
     *
     * @param driver the driver's name
     * @param source what the file event waited on ({@code "eventfd"} or {@code "pipe"})
     */
    public record Report(String driver, String source, int rounds, long fileEventNanos, long timeEventLateNanos,
            long externalEventNanos, long burstEvents, long afterBurstNanos) {

        /**
         * @return one line, such as {@code "eventfd event 38 us, time event +61 us late, external event
         *     wake-up 22 us, after 2-thread bursts 25 us (median of 5; 310000 burst events)"}
         */
        public String summary() {
            return String.format("%s event %d us, time event +%d us late, external event wake-up %d us, after %d-thread"
                    + " bursts %d us (median of %d; %d burst events)", source, micros(fileEventNanos),
                    micros(timeEventLateNanos), micros(externalEventNanos), BURST_THREADS, micros(afterBurstNanos), rounds,
                    burstEvents);
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
        ProbeLoop loop = new ProbeLoop("ferry-probe-" + factory.name(), driver,
                TimeUnit.MILLISECONDS.toNanos(Math.max(LOOP_WAIT_MIN_MILLIS, 5 * timeoutMillis)));
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
            long[] afterBurst = new long[rounds];
            long burstEvents = 0;
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

                // The same after a burst from several threads.
                burstEvents += burst(center, name, timeoutMillis);
                LockSupport.parkNanos(SETTLE_NANOS);
                CompletableFuture<Long> woke = new CompletableFuture<>();
                long postedAfter = System.nanoTime();
                if (!center.execute(() -> woke.complete(System.nanoTime()))) {
                    throw new IOException(name + ": the event center refused an external event");
                }
                afterBurst[i] = await(woke, name + ": the external event after a burst from " + BURST_THREADS
                        + " threads (a lost wake-up leaves the loop deaf)", timeoutMillis) - postedAfter;
            }
            return new Report(name, source.name(), rounds, EchoPattern.median(file), EchoPattern.median(timer),
                    EchoPattern.median(external), burstEvents, EchoPattern.median(afterBurst));
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

    /**
     * {@value #BURST_THREADS} threads post external events for {@value #BURST_MILLIS} ms, keeping at
     * most {@value #BURST_WINDOW} queued; returns once the loop ran them all.
     *
     * @return the number of events posted
     */
    private static long burst(DefaultEventCenter center, String name, long timeoutMillis)
            throws TimeoutException, InterruptedException {
        AtomicLong posted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        Runnable task = ran::incrementAndGet;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BURST_MILLIS);
        Thread[] producers = new Thread[BURST_THREADS];
        for (int t = 0; t < producers.length; t++) {
            producers[t] = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() - end < 0) {
                    if (posted.get() - ran.get() >= BURST_WINDOW) {
                        Thread.yield();
                        continue;
                    }
                    posted.incrementAndGet();
                    if (!center.execute(task)) {
                        posted.decrementAndGet();
                        return;
                    }
                    if (++n % 64 == 0) {
                        Thread.yield();
                    }
                }
            }, center.name() + "-burst-" + t);
            producers[t].setDaemon(true);
            producers[t].start();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BURST_MILLIS + timeoutMillis);
        for (Thread p : producers) {
            p.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (p.isAlive()) {
                throw new TimeoutException(name + ": a burst producer did not finish");
            }
        }
        while (ran.get() < posted.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(name + ": " + (posted.get() - ran.get()) + " of " + posted.get()
                        + " burst events did not run within " + timeoutMillis + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return posted.get();
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
