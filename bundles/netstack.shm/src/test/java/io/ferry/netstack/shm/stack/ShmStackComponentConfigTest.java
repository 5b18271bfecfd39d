package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ShmStackComponent#parse}: defaults, good values, and every bad value refused (null, logged). */
class ShmStackComponentConfigTest {

    private final ShmStackComponent component = new ShmStackComponent();

    @Test
    void defaultsAreValid() {
        ShmStackComponent.Settings s = component.parse(Map.of());
        assertNotNull(s);
        assertEquals(2, s.workers());
        assertEquals(128 * 1024, s.ringCapacity());
        assertEquals(64, s.maxChannels());
        assertEquals(-1, s.allowedGroup());
        assertEquals(false, s.busyPoll());
        assertTrue(s.socketPath().toString().endsWith("shm.sock"));
    }

    @Test
    void goodValuesAreTakenFromStringsAndNumbers() {
        ShmStackComponent.Settings s = component.parse(Map.of("socketPath", "/tmp/x/shm.sock", "workers", "4",
                "ringCapacity", 65536L, "maxChannels", 8, "helloTimeoutMillis", "250", "allowedGroup", 1000,
                "busyPoll", "true", "driver", "epoll"));
        assertNotNull(s);
        assertEquals(Path.of("/tmp/x/shm.sock"), s.socketPath());
        assertEquals(4, s.workers());
        assertEquals(65536, s.ringCapacity());
        assertEquals(8, s.maxChannels());
        assertEquals(250, s.helloTimeoutMillis());
        assertEquals(1000, s.allowedGroup());
        assertTrue(s.busyPoll());
    }

    @Test
    void badValuesAreRefused() {
        for (Map<String, Object> bad : new Map[] {Map.of("workers", 0), Map.of("workers", "2.5"), Map.of("workers", "x"),
                Map.of("driver", "nio"), Map.of("ringCapacity", 10), Map.of("ringCapacity", 1L << 31),
                Map.of("maxChannels", 0), Map.of("helloTimeoutMillis", 0), Map.of("allowedGroup", -2),
                Map.of("busyPoll", "yes"), Map.of("socketPath", "relative/shm.sock"),
                Map.of("socketPath", "/" + "x".repeat(120))}) {
            assertNull(component.parse(bad), "must be refused: " + bad);
        }
    }
}
