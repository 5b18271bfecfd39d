package io.ferry.bench.msgr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Counts echoed messages and their round trips for one system, and switches its connections
 * between sending and idle so that systems take turns (the core suite's pattern).
 *
 * <p><b>Threading:</b> confined to the system's client event-loop thread, except {@link #fail},
 * {@link #failure()} and {@link #closing()}, which any thread may call. Recording allocates nothing.
 */
final class PingPongRecorder {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One measured window. */
    record Window(long messages, long elapsedNanos, long p50Nanos, long p99Nanos) {
        double messagesPerSecond() {
            return messages * 1e9 / elapsedNanos;
        }
    }

    private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    private final List<Runnable> kicks = new ArrayList<>();
    private long messages;
    private long since = System.nanoTime();
    private volatile boolean stopping = true;
    private volatile Throwable failure;
    private volatile boolean closing;

    /** A connection is ready; {@code kick} makes it send if it is idle. */
    void connected(Runnable kick) {
        kicks.add(kick);
        if (!stopping) {
            kick.run();
        }
    }

    void record(long rttNanos) {
        messages++;
        histogram.recordValue(Math.max(1, Math.min(rttNanos, HIGHEST_NANOS)));
    }

    void resume() {
        stopping = false;
        reset(System.nanoTime());
        for (Runnable k : kicks) {
            k.run();
        }
    }

    void stop() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }

    int connections() {
        return kicks.size();
    }

    Window snapshotAndReset() {
        long now = System.nanoTime();
        Window w = new Window(messages, now - since, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99));
        reset(now);
        return w;
    }

    private void reset(long now) {
        histogram.reset();
        messages = 0;
        since = now;
    }

    void closing() {
        closing = true;
        stopping = true;
    }

    void fail(Throwable t) {
        if (failure == null && !closing) {
            failure = t;
        }
    }

    Throwable failure() {
        return failure;
    }
}
