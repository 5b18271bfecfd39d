package io.ferry.bench.shm;

import io.ferry.bench.BenchOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures one case (a message size, streaming or ping-pong) on every link, taking turns: each
 * link gets a warm-up window, then every iteration gives each link one window in an order rotated
 * per iteration, with the other links idle (the child's workers for them asleep). Each link's
 * figures are the medians over its windows, so drift of the machine falls on all links alike.
 *
 * <p>Runs on the harness thread; each window is guarded by the child watchdog.
 */
final class Turns {
    /** Streaming sends this many messages between clock reads. */
    private static final int BATCH = 32;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A window may overrun its length by this much before the watchdog kills the child. */
    private static final long WINDOW_SLACK_MILLIS = 15_000;
    private static final long GAP_MILLIS = 20;

    /** What a case measures. */
    enum Kind {
        /** One-way: messages sent back to back, a flush answered at the end of the window. */
        STREAM,
        /** One message in flight: send, wait for the answer, record the round trip. */
        PING_PONG
    }

    /** Medians over a link's windows. */
    record Figures(double messagesPerSecond, double p50Micros, double p99Micros, double maxMicros) {
        double gigabytesPerSecond(int messageSize) {
            return messagesPerSecond * messageSize / 1e9;
        }
    }

    private record Window(double messagesPerSecond, double p50Micros, double p99Micros, double maxMicros) {
    }

    private final ChildProcess child;
    private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);

    Turns(ChildProcess child) {
        this.child = child;
    }

    /** @return each link's figures, in the order of {@code links} */
    List<Figures> measure(List<Link> links, int size, Kind kind, BenchOptions options) throws IOException, InterruptedException {
        int n = links.size();
        ByteBuffer data = Wire.message(size, Wire.DATA);
        ByteBuffer flush = Wire.message(size, Wire.FLUSH);
        ByteBuffer ping = Wire.message(size, Wire.PING);
        ByteBuffer answer = ByteBuffer.allocateDirect(size);
        for (Link link : links) {
            window(link, size, kind, options.warmupMillis(), data, flush, ping, answer);
        }
        Window[][] w = new Window[n][options.iterations()];
        for (int i = 0; i < options.iterations(); i++) {
            for (int j = 0; j < n; j++) {
                int k = (i + j) % n;
                w[k][i] = window(links.get(k), size, kind, options.iterationMillis(), data, flush, ping, answer);
            }
        }
        List<Figures> figures = new ArrayList<>();
        for (Window[] x : w) {
            figures.add(new Figures(median(x, Window::messagesPerSecond), median(x, Window::p50Micros),
                    median(x, Window::p99Micros), Arrays.stream(x).mapToDouble(Window::maxMicros).max().orElse(0)));
        }
        return figures;
    }

    private Window window(Link link, int size, Kind kind, long millis, ByteBuffer data, ByteBuffer flush, ByteBuffer ping,
            ByteBuffer answer) throws IOException, InterruptedException {
        child.command("active " + link.id() + " " + size + " " + (link.pinned() ? "pin" : "free"));
        child.arm(millis + WINDOW_SLACK_MILLIS);
        if (link.pinned()) {
            CpuAffinity.pinCurrentThread(0);
        }
        try {
            return kind == Kind.STREAM ? stream(link, millis, data, flush, answer) : pingPong(link, millis, ping, answer);
        } catch (IOException e) {
            throw new IOException(link.label() + ": " + e.getMessage()
                    + (child.killedByWatchdog() ? " (the window overran; the watchdog killed the child)" : ""), e);
        } finally {
            CpuAffinity.unpinCurrentThread();
            child.disarm();
            child.command("active - 0 free");
            Thread.sleep(GAP_MILLIS);
        }
    }

    private static Window stream(Link link, long millis, ByteBuffer data, ByteBuffer flush, ByteBuffer answer)
            throws IOException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long sent = 0;
        do {
            for (int i = 0; i < BATCH; i++) {
                data.clear();
                link.send(data);
            }
            sent += BATCH;
        } while (System.nanoTime() < deadline);
        flush.clear();
        link.send(flush);
        answer.clear();
        link.awaitAnswer(answer);
        long elapsed = System.nanoTime() - start;
        return new Window((sent + 1) * 1e9 / elapsed, Double.NaN, Double.NaN, Double.NaN);
    }

    private Window pingPong(Link link, long millis, ByteBuffer ping, ByteBuffer answer) throws IOException {
        histogram.reset();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long now = start;
        long count = 0;
        while (now < deadline) {
            ping.clear();
            link.send(ping);
            answer.clear();
            link.awaitAnswer(answer);
            long t = System.nanoTime();
            histogram.recordValue(Math.max(1, Math.min(t - now, HIGHEST_NANOS)));
            now = t;
            count++;
        }
        return new Window(count * 1e9 / (now - start), histogram.getValueAtPercentile(50) / 1e3,
                histogram.getValueAtPercentile(99) / 1e3, histogram.getMaxValue() / 1e3);
    }

    private static double median(Window[] windows, java.util.function.ToDoubleFunction<Window> f) {
        double[] v = Arrays.stream(windows).mapToDouble(f).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
