package io.ferry.bench.core;

import io.ferry.bench.BenchOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * External-event dispatch: how fast one producer thread gets tasks run on an event loop.
 * <ul>
 *   <li><b>rate</b>: the producer keeps up to {@value #WINDOW} tasks in flight (posting whenever
 *       fewer are outstanding); the loop's completed count over the window is the rate;</li>
 *   <li><b>wake-up round trip</b>: the producer pauses {@value #IDLE_MICROS} us so that the loop
 *       falls asleep in its poller, then posts one task, spins until the loop ran it, and records
 *       the time: the cost of handing work to an idle loop (queue, wake-up, dispatch).</li>
 * </ul>
 * The same task object is posted every time and only bumps a counter, so the loop's own queue
 * and wake-up are what is measured. Like {@link EchoBenchmark}, the targets take turns in windows
 * whose order rotates per iteration, and each figure is a median over windows. Runs on the
 * harness thread (the producer); every wait is bounded.
 */
final class DispatchBenchmark {
    static final int WINDOW = 1024;
    /** Pause before each wake-up round trip: long enough for the loop to block in its poller. */
    static final long IDLE_MICROS = 50;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Medians over the measured windows. */
    record Figures(double eventsPerSecond, double roundTripP50Micros) {
    }

    /** Counts on the loop; published with a release store so that the producer can read it. */
    private static final class Counter implements Runnable {
        final AtomicLong done = new AtomicLong();
        long posted;
        private long count;

        @Override
        public void run() {
            done.lazySet(++count);
        }
    }

    private DispatchBenchmark() {
    }

    /** @return the figures of each target, in order; every target is closed */
    static List<Figures> measure(List<DispatchTarget> targets, BenchOptions options) {
        try {
            int n = targets.size();
            Counter[] counters = new Counter[n];
            Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
            for (int k = 0; k < n; k++) {
                counters[k] = new Counter();
                rateWindow(targets.get(k), counters[k], options.warmupMillis());
                roundTripWindow(targets.get(k), counters[k], histogram, options.warmupMillis() / 2);
            }
            double[][] rates = new double[n][options.iterations()];
            double[][] p50s = new double[n][options.iterations()];
            for (int i = 0; i < options.iterations(); i++) {
                for (int j = 0; j < n; j++) {
                    int k = (i + j) % n;
                    rates[k][i] = rateWindow(targets.get(k), counters[k], options.iterationMillis());
                }
                for (int j = 0; j < n; j++) {
                    int k = (i + j) % n;
                    histogram.reset();
                    roundTripWindow(targets.get(k), counters[k], histogram, options.iterationMillis() / 2);
                    p50s[k][i] = histogram.getValueAtPercentile(50) / 1e3;
                }
            }
            List<Figures> figures = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                figures.add(new Figures(EchoBenchmark.median(rates[k]), EchoBenchmark.median(p50s[k])));
            }
            return figures;
        } finally {
            for (DispatchTarget t : targets) {
                t.close();
            }
        }
    }

    /** Posts with up to {@link #WINDOW} in flight for {@code millis}; waits for the rest. @return tasks run per second */
    private static double rateWindow(DispatchTarget target, Counter counter, long millis) {
        long t0 = System.nanoTime();
        long d0 = counter.done.get();
        long end = t0 + TimeUnit.MILLISECONDS.toNanos(millis);
        long p = counter.posted;
        long lastProgress = t0;
        long lastDone = d0;
        // Read the loop's count only when the window looks full, so that the producer does not pull
        // the counter's cache line across cores on every post.
        long seen = d0;
        while (true) {
            for (int k = 0; k < 64; k++) {
                if (p - seen < WINDOW || p - (seen = counter.done.get()) < WINDOW) {
                    target.execute(counter);
                    p++;
                } else {
                    Thread.onSpinWait();
                }
            }
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            if (seen != lastDone) {
                lastDone = seen;
                lastProgress = now;
            } else if (now - lastProgress > STALL_NANOS) {
                throw new IllegalStateException(target.label() + ": the loop ran no task for 5 s");
            }
        }
        long d1 = counter.done.get();
        double rate = (d1 - d0) * 1e9 / (System.nanoTime() - t0);
        counter.posted = p;
        drain(target, counter);
        return rate;
    }

    private static void drain(DispatchTarget target, Counter counter) {
        long deadline = System.nanoTime() + STALL_NANOS;
        while (counter.done.get() < counter.posted) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(target.label() + ": " + (counter.posted - counter.done.get())
                        + " tasks still queued after 5 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Posts one task at a time to an idle loop for {@code millis}, recording each round trip into {@code histogram}. */
    private static void roundTripWindow(DispatchTarget target, Counter counter, Histogram histogram, long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long p = counter.posted;
        long now;
        do {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(IDLE_MICROS));
            long t0 = System.nanoTime();
            target.execute(counter);
            p++;
            while (counter.done.get() < p) {
                if (System.nanoTime() - t0 > STALL_NANOS) {
                    throw new IllegalStateException(target.label() + ": a task did not run within 5 s");
                }
                Thread.onSpinWait();
            }
            now = System.nanoTime();
            histogram.recordValue(Math.max(1, Math.min(now - t0, HIGHEST_NANOS)));
        } while (now - end < 0);
        counter.posted = p;
    }
}
