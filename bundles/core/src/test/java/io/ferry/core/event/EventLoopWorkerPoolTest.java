package io.ferry.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.Worker;
import io.ferry.api.event.WorkerPool;
import io.ferry.core.nio.NioDriverFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The pool of event-loop threads behind the posix stack and the {@code WorkerPoolFactory} service. */
class EventLoopWorkerPoolTest {
    private final EventDriverFactory nio = new NioDriverFactory();

    @Test
    void startsNamedRunningWorkersAndStopsThemOnClose() throws Exception {
        EventLoopWorkerPool pool = EventLoopWorkerPool.start("pool-test", 3, nio);
        try {
            assertEquals(3, pool.workers().size());
            for (int i = 0; i < 3; i++) {
                Worker w = pool.workers().get(i);
                assertEquals(i, w.id());
                assertTrue(w.isRunning());
                assertEquals("pool-test-" + i, pool.eventLoopWorkers().get(i).thread().getName());
                assertTrue(pool.contains(w));
            }
            assertEquals("nio", pool.driverName());
            assertFalse(pool.pollsFileDescriptors());
            CompletableFuture<String> ran = new CompletableFuture<>();
            pool.workers().get(1).center().execute(() -> ran.complete(Thread.currentThread().getName()));
            assertEquals("pool-test-1", ran.get(10, TimeUnit.SECONDS));
        } finally {
            assertTrue(pool.close(5_000));
        }
        assertTrue(pool.isClosed());
        for (EventLoopWorker w : pool.eventLoopWorkers()) {
            assertFalse(w.thread().isAlive());
            assertFalse(w.isRunning());
            assertTrue(w.center().isShutdown());
        }
        assertTrue(pool.close(5_000), "a second close is a no-op");
        assertThrows(IllegalStateException.class, pool::leastLoadedWorker);
    }

    @Test
    void leastLoadedWorkerFollowsTheLoad() throws Exception {
        try (EventLoopWorkerPool pool = EventLoopWorkerPool.start("pool-load", 3, nio)) {
            assertSame(pool.workers().get(0), pool.leastLoadedWorker(), "the first among equals");
            pool.workers().get(0).acquire();
            pool.workers().get(1).acquire();
            assertSame(pool.workers().get(2), pool.leastLoadedWorker());
            pool.workers().get(2).acquire();
            pool.workers().get(2).acquire();
            pool.workers().get(0).release();
            assertSame(pool.workers().get(0), pool.leastLoadedWorker());
        }
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> EventLoopWorkerPool.start("", 1, nio));
        assertThrows(IllegalArgumentException.class, () -> EventLoopWorkerPool.start("p", 0, nio));
        assertThrows(IllegalArgumentException.class, () -> EventLoopWorkerPool.start("p", 65, nio));
    }

    @Test
    void aDriverFailureLeavesNothingRunning() throws Exception {
        AtomicInteger made = new AtomicInteger();
        EventDriverFactory failsOnThird = new EventDriverFactory() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public boolean pollsFileDescriptors() {
                return false;
            }

            @Override
            public EventDriver create() throws IOException {
                if (made.incrementAndGet() == 3) {
                    throw new IOException("out of descriptors (simulated)");
                }
                return nio.create();
            }
        };
        long before = threadsNamed("pool-flaky");
        IOException e = assertThrows(IOException.class, () -> EventLoopWorkerPool.start("pool-flaky", 4, failsOnThird));
        assertTrue(e.getMessage().contains("simulated"));
        assertEquals(3, made.get(), "stopped at the first failure");
        assertEquals(before, threadsNamed("pool-flaky"), "the two started workers were stopped");
    }

    @Test
    void closeFromOneOfItsOwnWorkersIsRefused() throws Exception {
        try (EventLoopWorkerPool pool = EventLoopWorkerPool.start("pool-self", 1, nio)) {
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            pool.workers().get(0).center().execute(() -> {
                try {
                    pool.close(1_000);
                    result.complete(null);
                } catch (Throwable t) {
                    result.complete(t);
                }
            });
            assertTrue(result.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
            assertFalse(pool.isClosed());
        }
    }

    @Test
    void closeNeverHangsOnAStuckHandler() throws Exception {
        EventLoopWorkerPool pool = EventLoopWorkerPool.start("pool-stuck", 2, nio);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.workers().get(1).center().execute(() -> {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        try {
            assertFalse(pool.close(200), "the stuck worker is reported, not waited for");
            assertTrue(pool.isClosed());
            assertFalse(pool.eventLoopWorkers().get(0).thread().isAlive(), "the healthy worker stopped");
        } finally {
            release.countDown();
        }
        pool.eventLoopWorkers().get(1).thread().join(10_000);
        assertFalse(pool.eventLoopWorkers().get(1).thread().isAlive(), "ends once its handler returns");
    }

    @Test
    void openCloseCyclesLeakNoDescriptorsOrThreads() throws Exception {
        long fdsBefore = openFds();
        long threadsBefore = threadsNamed("pool-cycle");
        for (int i = 0; i < 100; i++) {
            WorkerPool pool = EventLoopWorkerPool.start("pool-cycle", 2, nio);
            pool.close();
        }
        assertEquals(threadsBefore, threadsNamed("pool-cycle"));
        long fdsAfter = openFds();
        assertTrue(fdsAfter <= fdsBefore + 2, "fds " + fdsBefore + " -> " + fdsAfter);
    }

    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
