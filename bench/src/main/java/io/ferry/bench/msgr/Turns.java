package io.ferry.bench.msgr;

import io.ferry.bench.BenchOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one case on several systems that take turns, like the core suite's echo benchmark: all are
 * started, each warms up in its own window, then every iteration gives each system one window in an
 * order rotated per iteration, so drift in the machine's speed falls on all alike. Each system's
 * figures are medians over its windows. Harness thread only; every wait bounded.
 */
final class Turns {
    private static final long CONTROL_TIMEOUT_MILLIS = 5_000;
    private static final long GAP_MILLIS = 20;

    /**
     * Medians over the measured windows. {@code cpuMicrosPerMessage}: CPU time of the whole process
     * (both loops; the other systems idle) per echoed message, a diagnostic for the progress lines.
     */
    record Figures(double messagesPerSecond, double p50Micros, double p99Micros, double cpuMicrosPerMessage) {
    }

    private Turns() {
    }

    static List<Figures> measure(List<Supplier<PingPongSystem>> factories, int size, int connections, BenchOptions options)
            throws Exception {
        List<PingPongSystem> systems = new ArrayList<>();
        List<PingPongRecorder> recorders = new ArrayList<>();
        try {
            for (Supplier<PingPongSystem> f : factories) {
                PingPongSystem s = f.get();
                systems.add(s);
                PingPongRecorder r = new PingPongRecorder();
                recorders.add(r);
                s.start(size, connections, r);
            }
            int n = systems.size();
            for (int k = 0; k < n; k++) {
                window(systems.get(k), recorders.get(k), options.warmupMillis());
            }
            PingPongRecorder.Window[][] w = new PingPongRecorder.Window[n][options.iterations()];
            double[][] cpu = new double[n][options.iterations()];
            for (int i = 0; i < options.iterations(); i++) {
                for (int j = 0; j < n; j++) {
                    int k = (i + j) % n;
                    long cpuBefore = processCpuNanos();
                    w[k][i] = window(systems.get(k), recorders.get(k), options.iterationMillis());
                    cpu[k][i] = (processCpuNanos() - cpuBefore) / 1e3 / Math.max(1, w[k][i].messages());
                    if (w[k][i].messages() == 0) {
                        throw new IllegalStateException(systems.get(k).label() + ": no message echoed in window " + i);
                    }
                }
            }
            List<Figures> out = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                PingPongRecorder.Window[] ws = w[k];
                out.add(new Figures(median(Arrays.stream(ws).mapToDouble(PingPongRecorder.Window::messagesPerSecond).toArray()),
                        median(Arrays.stream(ws).mapToDouble(x -> x.p50Nanos() / 1e3).toArray()),
                        median(Arrays.stream(ws).mapToDouble(x -> x.p99Nanos() / 1e3).toArray()), median(cpu[k])));
            }
            return out;
        } finally {
            for (PingPongSystem s : systems) {
                s.close();
            }
        }
    }

    private static PingPongRecorder.Window window(PingPongSystem s, PingPongRecorder r, long millis) throws Exception {
        onClient(s, r, () -> {
            r.resume();
            return null;
        });
        Thread.sleep(millis);
        PingPongRecorder.Window w = onClient(s, r, () -> {
            PingPongRecorder.Window x = r.snapshotAndReset();
            r.stop();
            return x;
        });
        Thread.sleep(GAP_MILLIS);
        return w;
    }

    private static <T> T onClient(PingPongSystem s, PingPongRecorder r, Supplier<T> task) throws Exception {
        check(s, r);
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!s.runOnClient(() -> result.complete(task.get()))) {
            throw new IllegalStateException(s.label() + ": the client loop stopped");
        }
        T v = result.get(CONTROL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        check(s, r);
        return v;
    }

    private static void check(PingPongSystem s, PingPongRecorder r) {
        Throwable t = r.failure();
        if (t != null) {
            throw new IllegalStateException(s.label() + ": a connection failed: " + t, t);
        }
    }

    /** @return the CPU time this process used so far, or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean x ? Math.max(0, x.getProcessCpuTime()) : 0;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
