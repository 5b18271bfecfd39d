package io.ferry.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Counts echoed messages and records their round-trip times for one echo system, and switches
 * its connections between sending and idle, so that systems can take turns in measurement
 * windows.
 *
 * <p><b>Threading:</b> confined to the system's client event-loop thread (every client connection
 * of a system lives on that one loop): {@link #connected}, {@link #record}, {@link #resume},
 * {@link #stop}, {@link #isStopping()} and {@link #snapshotAndReset()} run there only; the harness
 * reaches them through the system's {@code runOnClient}. {@link #fail}, {@link #failure()} and
 * {@link #closing()} may be used from any thread. Recording allocates nothing.
 */
final class EchoRecorder {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One measured window. */
    record Iteration(long messages, long elapsedNanos, long p50Nanos, long p99Nanos, double meanNanos, long maxNanos) {
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

    /**
     * A connection is ready; {@code kick} makes it send a message if it is idle. Connections start
     * idle while the recorder is stopped.
     */
    void connected(Runnable kick) {
        kicks.add(kick);
        if (!stopping) {
            kick.run();
        }
    }

    /** Counts one echoed message and its round-trip time. */
    void record(long rttNanos) {
        messages++;
        histogram.recordValue(Math.max(1, Math.min(rttNanos, HIGHEST_NANOS)));
    }

    /** Starts a window: forgets what was recorded and sets every idle connection sending. */
    void resume() {
        stopping = false;
        reset(System.nanoTime());
        for (Runnable kick : kicks) {
            kick.run();
        }
    }

    /** Connections send no new message after this; their current one still completes. */
    void stop() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }

    /** @return what was recorded since the window started, and starts afresh. */
    Iteration snapshotAndReset() {
        long now = System.nanoTime();
        Iteration it = new Iteration(messages, now - since, histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(99), histogram.getMean(), histogram.getMaxValue());
        reset(now);
        return it;
    }

    private void reset(long now) {
        histogram.reset();
        messages = 0;
        since = now;
    }

    /** The system is being closed: connections that fail from now on are not failures. Any thread. */
    void closing() {
        closing = true;
        stopping = true;
    }

    /** Records the first failure of any connection, unless the system is closing. */
    void fail(Throwable t) {
        if (failure == null && !closing) {
            failure = t;
        }
    }

    Throwable failure() {
        return failure;
    }
}
