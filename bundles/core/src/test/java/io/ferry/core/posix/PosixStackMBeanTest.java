package io.ferry.core.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.nio.NioDriverFactory;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The posix stack's counters are published over JMX while the component is active, and follow a reconfiguration. */
class PosixStackMBeanTest {

    @Test
    void shouldPublishCountersWhileActiveAndFollowReconfiguration() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(PosixStackMBeanRegistration.OBJECT_NAME);
        PosixStackComponent component = new PosixStackComponent();
        component.addDriver(new NioDriverFactory());
        component.addDriver(new EpollDriverFactory());
        component.activate(Map.of("workers", 3, "driver", "nio"));
        try {
            assertTrue(server.isRegistered(name), "registered on activation");
            assertEquals(3, server.getAttribute(name, "WorkerCount"));
            assertEquals("nio", server.getAttribute(name, "Driver"));
            assertEquals("nio", server.getAttribute(name, "SocketProvider"));
            assertEquals("jdk", server.getAttribute(name, "NativeCalls"), "NIO channels: the JDK makes the calls");
            assertArrayEquals(new int[] {0, 0, 0}, (int[]) server.getAttribute(name, "WorkerLoads"));
            assertEquals(0, server.getAttribute(name, "OpenSockets"));
            assertEquals(0L, server.getAttribute(name, "HandlerFailures"));
            assertEquals(0L, server.getAttribute(name, "PollBeforeSleepMicros"), "workers sleep at once by default");
            assertEquals(0L, server.getAttribute(name, "PollsCaught"));

            component.modified(Map.of("workers", 1, "driver", "nio"));
            assertEquals(1, server.getAttribute(name, "WorkerCount"), "reads the running stack after a change");
            component.modified(Map.of("workers", 1, "driver", "nio", "pollMicros", 40));
            assertEquals(40L, server.getAttribute(name, "PollBeforeSleepMicros"));
            assertEquals(1, ((long[]) server.getAttribute(name, "WorkerEventsProcessed")).length);
        } finally {
            component.deactivate();
        }
        assertFalse(server.isRegistered(name), "unregistered on deactivation");
    }
}
