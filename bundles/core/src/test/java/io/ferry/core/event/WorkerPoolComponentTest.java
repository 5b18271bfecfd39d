package io.ferry.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.WorkerPool;
import io.ferry.api.event.WorkerPoolFactory;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.nio.NioDriverFactory;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The {@link WorkerPoolFactory} service as other bundles see it. */
class WorkerPoolComponentTest {
    private final EpollDriverFactory epoll = new EpollDriverFactory();
    private final NioDriverFactory nio = new NioDriverFactory();

    @Test
    void autoPicksEpollWhereAvailableElseNio() throws Exception {
        assumeTrue(epoll.isAvailable(), "epoll is not available on this machine");
        WorkerPoolComponent both = WorkerPoolComponent.over(nio, epoll);
        try (WorkerPool pool = both.create("factory-auto", 1, WorkerPoolFactory.AUTO_DRIVER)) {
            assertEquals("epoll", pool.driverName());
            assertTrue(pool.pollsFileDescriptors());
        }
        WorkerPoolComponent nioOnly = WorkerPoolComponent.over(nio);
        try (WorkerPool pool = nioOnly.create("factory-auto", 1, "auto")) {
            assertEquals("nio", pool.driverName());
        }
    }

    @Test
    void anUnknownDriverIsRefusedNamingWhatThereIs() {
        WorkerPoolComponent factory = WorkerPoolComponent.over(nio);
        IOException e = assertThrows(IOException.class, () -> factory.create("factory-bad", 1, "io_uring"));
        assertTrue(e.getMessage().contains("io_uring") && e.getMessage().contains("nio"), e.getMessage());
        assertEquals(0, factory.openPools());
    }

    @Test
    void closingAPoolForgetsItAndDeactivationClosesTheRest() throws Exception {
        WorkerPoolComponent factory = WorkerPoolComponent.over(nio);
        WorkerPool closedByOwner = factory.create("factory-owner", 2, "nio");
        WorkerPool leftOpen = factory.create("factory-left", 2, "nio");
        assertEquals(2, factory.openPools());
        assertTrue(closedByOwner.close(5_000));
        assertEquals(1, factory.openPools());

        factory.deactivate();
        assertTrue(leftOpen.isClosed());
        assertEquals(0, EventLoopWorkerPoolTest.threadsNamed("factory-left"));
        assertFalse(leftOpen.workers().get(0).isRunning());
        assertThrows(IOException.class, () -> factory.create("factory-late", 1, "nio"));
    }
}
