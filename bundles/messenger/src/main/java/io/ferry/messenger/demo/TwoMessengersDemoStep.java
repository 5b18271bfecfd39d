package io.ferry.messenger.demo;

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
 * The demo step {@code "messenger: two messengers over posix"}: two messengers on the node's posix
 * stack exchange {@value #MESSAGES} messages of 64 B one at a time and {@value #MESSAGES} of 4 KiB
 * {@value #WINDOW} at a time over a lossless_peer session (msgr v1 with crc32c); every echo is checked
 * for order and bytes; the row reports rates and round trips.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once. When the stack goes away the component is
 * deactivated and a run in progress fails at once.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + TwoMessengersDemoStep.ORDER)
public final class TwoMessengersDemoStep implements DemoStep {
    /** After the foundation steps (100-199). */
    public static final int ORDER = 200;
    static final int MESSAGES = 1000;
    static final int WINDOW = 8;
    static final long RUN_TIMEOUT_MILLIS = 10_000;

    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=posix)")
    private NetworkStack stack;

    private final Set<CompletableFuture<String>> running = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "messenger: two messengers over posix";
    }

    @Override
    public long timeoutMillis() {
        return 2 * RUN_TIMEOUT_MILLIS + 5_000;
    }

    @Override
    public CompletionStage<String> run() {
        CompletableFuture<String> result = new CompletableFuture<>();
        running.add(result);
        result.whenComplete((r, t) -> running.remove(result));
        LoopbackExchange.run(stack, MESSAGES, 64, 1, RUN_TIMEOUT_MILLIS)
                .thenCompose(small -> LoopbackExchange.run(stack, MESSAGES, 4096, WINDOW, RUN_TIMEOUT_MILLIS)
                        .thenApply(large -> small + "; " + large))
                .whenComplete((text, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(text);
                    }
                });
        return result;
    }

    @Deactivate
    void deactivate() {
        for (CompletableFuture<String> r : running) {
            r.completeExceptionally(new IllegalStateException("the posix stack went away during the exchange"));
        }
    }
}
