package io.ferry.node.demo;

import io.ferry.api.demo.DemoStep;
import io.ferry.node.console.NodeInventory;
import io.ferry.node.console.NodeSnapshot;
import io.ferry.node.console.NodeSnapshot.BundleInfo;
import io.ferry.node.console.NodeSnapshot.DriverInfo;
import io.ferry.node.console.NodeSnapshot.StackInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The first step of the tour, {@code node: status}: the api and core bundles are active, and at
 * least one NetworkStack and one available EventDriverFactory are registered. Checks the
 * registry only, so it completes at once.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + NodeStatusStep.ORDER)
public final class NodeStatusStep implements DemoStep {
    /** Runs before every other foundation step (100-199). */
    static final int ORDER = 100;
    static final List<String> REQUIRED_BUNDLES = List.of("io.ferry.api", "io.ferry.core");

    @Reference
    NodeInventory inventory;

    @Override
    public String name() {
        return "node: status";
    }

    @Override
    public long timeoutMillis() {
        return 5_000;
    }

    @Override
    public CompletionStage<String> run() {
        try {
            return CompletableFuture.completedFuture(check(inventory.snapshot()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @return the one-line result when the node is healthy
     * @throws IllegalStateException naming everything that is missing
     */
    static String check(NodeSnapshot s) {
        List<String> problems = new ArrayList<>();
        List<String> bundles = new ArrayList<>();
        for (String bsn : REQUIRED_BUNDLES) {
            BundleInfo b = s.bundle(bsn).orElse(null);
            if (b == null) {
                problems.add(bsn + " not installed");
            } else if (!b.isActive()) {
                problems.add(bsn + " is " + b.state());
            } else {
                bundles.add(bsn.substring(bsn.lastIndexOf('.') + 1) + " " + b.version());
            }
        }
        List<String> stacks = s.stacks().stream().map(StackInfo::type).collect(Collectors.toList());
        List<String> drivers = s.drivers().stream().filter(DriverInfo::available).map(DriverInfo::name)
                .collect(Collectors.toList());
        if (stacks.isEmpty()) {
            problems.add("no NetworkStack service");
        }
        if (drivers.isEmpty()) {
            problems.add("no available EventDriverFactory service");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        return String.join(", ", bundles) + " active; stacks " + String.join(", ", stacks) + "; drivers "
                + String.join(", ", drivers);
    }
}
