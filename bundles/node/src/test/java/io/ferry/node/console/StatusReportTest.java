package io.ferry.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.node.console.NodeSnapshot.BundleInfo;
import io.ferry.node.console.NodeSnapshot.DriverInfo;
import io.ferry.node.console.NodeSnapshot.PoolInfo;
import io.ferry.node.console.NodeSnapshot.StackInfo;
import io.ferry.node.console.NodeSnapshot.WorkerInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void shouldShowBundlesServicesAndEveryWorkerOfEveryStack() {
        NodeSnapshot s = new NodeSnapshot(
                List.of(new BundleInfo(7, "ACTIVE", "io.ferry.api", "0.1.0.SNAPSHOT"),
                        new BundleInfo(12, "RESOLVED", "io.ferry.core", "0.1.0.SNAPSHOT")),
                List.of(new StackInfo("posix", "epoll", List.of(new WorkerInfo(0, "ferry-posix-0", 3, 1234, true),
                        new WorkerInfo(1, "ferry-posix-1", 0, 7, true)), null)),
                List.of(new DriverInfo("epoll", true, true), new DriverInfo("nio", true, false)),
                List.of(new PoolInfo(4096, 2)));

        String text = StatusReport.render(s);

        assertTrue(text.contains("  7   ACTIVE    io.ferry.api   0.1.0.SNAPSHOT\n"), text);
        assertTrue(text.contains("  12  RESOLVED  io.ferry.core  0.1.0.SNAPSHOT\n"), text);
        assertTrue(text.contains("NetworkStack        ferry.stack=posix   2 workers"), text);
        assertTrue(text.contains("EventDriverFactory  ferry.driver=epoll  available, polls file descriptors"), text);
        assertTrue(text.contains("EventDriverFactory  ferry.driver=nio    available, polls JDK channels"), text);
        assertTrue(text.contains("BufferPool          -                   4096 bytes in use (2 buffers)"), text);
        assertTrue(text.contains("Stack posix: driver epoll, 2 workers\n"), text);
        assertTrue(text.contains("  0       ferry-posix-0  3     1234    running\n"), text);
        assertTrue(text.contains("  1       ferry-posix-1  0     7       running\n"), text);
    }

    @Test
    void shouldSayNoneWhereNothingIsRegistered() {
        String text = StatusReport.render(new NodeSnapshot(List.of(), List.of(), List.of(), List.of()));
        assertEquals("Bundles\n  (none)\nServices\n  (none)\nStacks\n  (none)\n", text);
    }

    @Test
    void shouldReportAStackThatCannotBeInspected() {
        NodeSnapshot s = new NodeSnapshot(List.of(), List.of(new StackInfo("posix", null, List.of(), "cannot inspect: stopping")),
                List.of(), List.of());
        assertTrue(StatusReport.render(s).contains("Stack posix: cannot inspect: stopping\n"));
    }
}
