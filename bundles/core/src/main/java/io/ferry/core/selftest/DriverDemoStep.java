package io.ferry.core.selftest;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.event.EventDriverFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The demo step {@code "core: event driver <name>"} for one {@link EventDriverFactory}: runs a
 * {@link DriverProbe} (file, time and cross-thread external events) and reports its latencies.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once; the probe runs on a daemon thread of its
 * own, bounded by {@link #PROBE_TIMEOUT_MILLIS} per wait and well inside {@link #timeoutMillis()},
 * and releases its driver and thread before the stage completes.
 */
public final class DriverDemoStep implements DemoStep {
    /** Demo order of the driver steps; ties are broken by name, so epoll runs before nio. */
    public static final int ORDER = 110;
    /** Rounds per event kind. */
    static final int ROUNDS = 5;
    /** Bound of each single wait inside the probe. */
    static final long PROBE_TIMEOUT_MILLIS = 2_000;

    private final EventDriverFactory factory;
    private final String name;

    public DriverDemoStep(EventDriverFactory factory) {
        this.factory = factory;
        this.name = "core: event driver " + factory.name();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long timeoutMillis() {
        return 15_000;
    }

    @Override
    public CompletionStage<String> run() {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread probe = new Thread(() -> {
            try {
                result.complete(DriverProbe.run(factory, ROUNDS, PROBE_TIMEOUT_MILLIS).summary());
            } catch (Exception | LinkageError | AssertionError e) {
                result.completeExceptionally(e);
            }
        }, "ferry-demo-" + factory.name());
        probe.setDaemon(true);
        probe.start();
        return result;
    }

    @Override
    public String toString() {
        return "DemoStep[" + name + "]";
    }
}
