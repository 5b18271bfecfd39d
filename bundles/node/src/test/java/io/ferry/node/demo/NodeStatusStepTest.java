package io.ferry.node.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.node.console.NodeSnapshot;
import io.ferry.node.console.NodeSnapshot.BundleInfo;
import io.ferry.node.console.NodeSnapshot.DriverInfo;
import io.ferry.node.console.NodeSnapshot.StackInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStatusStepTest {
    private static final List<BundleInfo> ACTIVE = List.of(new BundleInfo(1, "ACTIVE", "io.ferry.api", "0.1.0"),
            new BundleInfo(2, "ACTIVE", "io.ferry.core", "0.1.0"));

    @Test
    void shouldPassWhenApiAndCoreAreActiveWithAStackAndADriver() {
        NodeSnapshot s = new NodeSnapshot(ACTIVE, List.of(new StackInfo("posix", "epoll", List.of(), null)),
                List.of(new DriverInfo("epoll", true, true), new DriverInfo("nio", true, false)), List.of());
        assertEquals("api 0.1.0, core 0.1.0 active; stacks posix; drivers epoll, nio", NodeStatusStep.check(s));
    }

    @Test
    void shouldNameEverythingThatIsMissing() {
        NodeSnapshot s = new NodeSnapshot(List.of(new BundleInfo(2, "RESOLVED", "io.ferry.core", "0.1.0")),
                List.of(), List.of(new DriverInfo("epoll", false, true)), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NodeStatusStep.check(s));
        assertEquals("io.ferry.api not installed; io.ferry.core is RESOLVED; no NetworkStack service; "
                + "no available EventDriverFactory service", e.getMessage());
    }
}
