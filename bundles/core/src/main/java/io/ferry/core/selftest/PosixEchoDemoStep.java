package io.ferry.core.selftest;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.net.NetworkStack;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The demo step {@code "core: posix echo self-test"}: echoes {@value #MESSAGES} messages of 64 B
 * and of 4 KiB on each of {@value #CONNECTIONS} connections over {@code 127.0.0.1} through the
 * {@code posix} {@link NetworkStack} service, verifies every byte, and reports the round-trip
 * times.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once. <b>Shutdown:</b> when the stack goes away
 * the component is deactivated and a run still in progress fails at once (its sockets fail with
 * the stack), so the demo runner never waits for its timeout.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + PosixEchoDemoStep.ORDER)
public final class PosixEchoDemoStep implements DemoStep {
    /** Runs after the driver steps. */
    public static final int ORDER = 120;
    static final int CONNECTIONS = 2;
    static final int MESSAGES = 500;
    static final long ECHO_TIMEOUT_MILLIS = 10_000;

    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=posix)")
    private NetworkStack stack;

    private final Set<CompletableFuture<String>> running = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "core: posix echo self-test";
    }

    @Override
    public long timeoutMillis() {
        return 2 * ECHO_TIMEOUT_MILLIS + 5_000;
    }

    @Override
    public CompletionStage<String> run() {
        CompletableFuture<String> result = EchoSelfTest.run(stack, CONNECTIONS, MESSAGES, EchoSelfTest.DEMO_SIZES,
                ECHO_TIMEOUT_MILLIS);
        running.add(result);
        result.whenComplete((r, t) -> running.remove(result));
        return result;
    }

    @Deactivate
    void deactivate() {
        for (CompletableFuture<String> r : running) {
            r.completeExceptionally(new IllegalStateException("the posix stack went away during the self-test"));
        }
    }
}
