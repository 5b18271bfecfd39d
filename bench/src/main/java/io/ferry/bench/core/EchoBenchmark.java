package io.ferry.bench.core;

import io.ferry.bench.BenchOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one echo case on several systems that take turns: all are started and connected, each is
 * warmed up in its own window, then every measured iteration gives each system one window, in an
 * order rotated per iteration. Only one system sends at a time (the others' loops sleep), and
 * drift in the machine's speed (other processes, frequency changes) falls on all of them alike.
 * Each system's figures are the medians over its windows.
 *
 * <p>Called on the harness thread; every wait is bounded.
 */
final class EchoBenchmark {
    private static final long CONTROL_TIMEOUT_MILLIS = 5_000;
    /** Pause between windows, so that the messages still in flight of one system finish first. */
    private static final long GAP_MILLIS = 20;

    /** Medians over the measured windows. */
    record Figures(double messagesPerSecond, double p50Micros, double p99Micros, double meanMicros, double maxMicros,
            long messages) {
    }

    private EchoBenchmark() {
    }

    /** @return the figures of each system, in the order of {@code factories}; every system is closed */
    static List<Figures> measure(List<Supplier<EchoSystem>> factories, int messageSize, int connections,
            BenchOptions options) throws Exception {
        List<EchoSystem> systems = new ArrayList<>();
        List<EchoRecorder> recorders = new ArrayList<>();
        try {
            for (Supplier<EchoSystem> f : factories) {
                EchoSystem s = f.get();
                systems.add(s);
                EchoRecorder r = new EchoRecorder();
                recorders.add(r);
                s.start(messageSize, connections, r);
            }
            int n = systems.size();
            for (int k = 0; k < n; k++) {
                window(systems.get(k), recorders.get(k), options.warmupMillis());
            }
            EchoRecorder.Iteration[][] its = new EchoRecorder.Iteration[n][options.iterations()];
            for (int i = 0; i < options.iterations(); i++) {
                for (int j = 0; j < n; j++) {
                    int k = (i + j) % n;
                    its[k][i] = window(systems.get(k), recorders.get(k), options.iterationMillis());
                    if (its[k][i].messages() == 0) {
                        throw new IllegalStateException(systems.get(k).label() + ": no message echoed in window " + i);
                    }
                }
            }
            List<Figures> figures = new ArrayList<>();
            for (EchoRecorder.Iteration[] it : its) {
                figures.add(figures(it));
            }
            return figures;
        } finally {
            for (EchoSystem s : systems) {
                s.close();
            }
        }
    }

    private static Figures figures(EchoRecorder.Iteration[] its) {
        long total = Arrays.stream(its).mapToLong(EchoRecorder.Iteration::messages).sum();
        return new Figures(median(Arrays.stream(its).mapToDouble(EchoRecorder.Iteration::messagesPerSecond).toArray()),
                median(Arrays.stream(its).mapToDouble(it -> it.p50Nanos() / 1e3).toArray()),
                median(Arrays.stream(its).mapToDouble(it -> it.p99Nanos() / 1e3).toArray()),
                median(Arrays.stream(its).mapToDouble(it -> it.meanNanos() / 1e3).toArray()),
                Arrays.stream(its).mapToDouble(it -> it.maxNanos() / 1e3).max().orElse(0), total);
    }

    /** Lets one system send for {@code millis} and returns what it recorded. */
    private static EchoRecorder.Iteration window(EchoSystem system, EchoRecorder recorder, long millis)
            throws InterruptedException, ExecutionException, TimeoutException {
        onClient(system, recorder, () -> {
            recorder.resume();
            return null;
        });
        Thread.sleep(millis);
        EchoRecorder.Iteration it = onClient(system, recorder, () -> {
            EchoRecorder.Iteration x = recorder.snapshotAndReset();
            recorder.stop();
            return x;
        });
        Thread.sleep(GAP_MILLIS);
        return it;
    }

    private static <T> T onClient(EchoSystem system, EchoRecorder recorder, Supplier<T> task)
            throws InterruptedException, ExecutionException, TimeoutException {
        check(system, recorder);
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!system.runOnClient(() -> result.complete(task.get()))) {
            throw new IllegalStateException(system.label() + ": the client loop stopped");
        }
        T value = result.get(CONTROL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        check(system, recorder);
        return value;
    }

    private static void check(EchoSystem system, EchoRecorder recorder) {
        Throwable failure = recorder.failure();
        if (failure != null) {
            throw new IllegalStateException(system.label() + ": a connection failed: " + failure, failure);
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
