package io.ferry.core.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventDriver;
import org.junit.jupiter.api.Test;

class EpollDriverFactoryTest {

    @Test
    void shouldBeAvailableOnLinuxAndPollDescriptors() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        EpollDriverFactory factory = new EpollDriverFactory();
        assertTrue(factory.isAvailable(), factory::toString);
        assertTrue(factory.pollsFileDescriptors());
        assertEquals("epoll", factory.name());
        try (EventDriver driver = factory.create()) {
            assertEquals("epoll", driver.name());
        }
    }
}
