package io.ferry.api.demo;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One step of the node's end-to-end tour, registered as an OSGi service by the subsystem it
 * shows. The node runs steps in ascending {@link #ORDER_PROPERTY} order (then by name), one at a
 * time, each bounded by its own timeout, and prints one row per step.
 *
 * <p>{@link #run()} is called on the demo runner's thread and must not block: it starts the work
 * and completes the stage with a one-line result text (success) or exceptionally (failure).
 */
@ConsumerType
public interface DemoStep {
    /** Service property: an Integer; lower runs first. Foundation steps use 100-199. */
    String ORDER_PROPERTY = "ferry.demo.order";

    /** @return the row's name, such as {@code "core: posix echo (epoll)"}. */
    String name();

    /** @return how long the runner waits before it counts the step as failed, in milliseconds. */
    default long timeoutMillis() {
        return 10_000;
    }

    /** Starts the step. @return a stage completed with a short result text, or exceptionally */
    CompletionStage<String> run();
}
