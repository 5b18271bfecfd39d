package io.ferry.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Unix#poll(int, int, long)} and {@link PollSet}: readiness, timeouts, wake-ups, no leaks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PollTest {
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @Test
    void shouldReportAnEventfdReadableOnlyWhileItsCounterIsNonZero() throws Exception {
        try (EventFd e = EventFd.create()) {
            assertEquals(0, Unix.poll(e.fd(), Unix.POLLIN, 0));
            assertEquals(Unix.POLLOUT, Unix.poll(e.fd(), Unix.POLLIN | Unix.POLLOUT, 0), "an eventfd takes writes");
            assertEquals(0, e.signal(3));
            assertEquals(Unix.POLLIN, Unix.poll(e.fd(), Unix.POLLIN, SECOND));
            assertEquals(Unix.POLLIN, Unix.poll(e.fd(), Unix.POLLIN, 0), "poll does not drain");
            assertEquals(3, e.drain());
            assertEquals(0, Unix.poll(e.fd(), Unix.POLLIN, 0));
        }
    }

    @Test
    void shouldReportASeqpacketSocketReadableForADatagramAndHungUpWhenThePeerCloses() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            assertEquals(0, Unix.poll(b.fd(), Unix.POLLIN, 0));
            assertEquals(Unix.POLLOUT, Unix.poll(b.fd(), Unix.POLLOUT, 0));
            assertEquals(3, a.send(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            assertEquals(Unix.POLLIN, Unix.poll(b.fd(), Unix.POLLIN, SECOND));
            assertEquals(3, b.receive(ByteBuffer.allocate(8)));
            assertEquals(0, Unix.poll(b.fd(), Unix.POLLIN, 0));
            a.close();
            int revents = Unix.poll(b.fd(), Unix.POLLIN, SECOND);
            assertTrue((revents & Unix.POLLHUP) != 0, "hang-up reported unasked: 0x" + Integer.toHexString(revents));
        }
    }

    @Test
    void shouldReportOnlyTheReadyEntriesOfAPollSet() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (EventFd e = EventFd.create(); UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            PollSet set = new PollSet(2);
            int bell = set.add(e.fd(), Unix.POLLIN);
            int socket = set.add(b.fd(), Unix.POLLIN);
            assertEquals(2, set.size());
            assertEquals(0, set.poll(MILLI));
            assertEquals(1, a.send(ByteBuffer.wrap(new byte[] {7})));
            assertEquals(1, set.poll(SECOND));
            assertEquals(0, set.revents(bell));
            assertEquals(Unix.POLLIN, set.revents(socket));
            assertEquals(0, e.signal(1));
            assertEquals(2, set.poll(SECOND));
            assertEquals(Unix.POLLIN, set.revents(bell));
            assertEquals(1, e.drain());
            assertEquals(1, b.receive(ByteBuffer.allocate(4)));
            assertEquals(0, set.poll(0));
            assertEquals(0, set.revents(socket), "no stale result after a timeout");

            set.set(socket, -1, Unix.POLLIN); // ignored by the kernel
            assertEquals(1, a.send(ByteBuffer.wrap(new byte[] {8})));
            assertEquals(0, set.poll(MILLI));
            assertEquals(-1, set.fd(socket));
            set.clear();
            assertEquals(0, set.size());
            assertThrows(IndexOutOfBoundsException.class, () -> set.revents(0));
        }
    }

    @Test
    void shouldRejectBadArgumentsWithReturnCodesOnTheWaitAndExceptionsOnSetup() throws Exception {
        assertEquals(-Errno.EBADF, Unix.poll(-1, Unix.POLLIN, 0));
        try (EventFd e = EventFd.create()) {
            assertEquals(-Errno.EINVAL, Unix.poll(e.fd(), Unix.POLLIN, -1));
            PollSet set = new PollSet(1);
            set.add(e.fd(), Unix.POLLIN);
            assertEquals(-Errno.EINVAL, set.poll(-1));
            assertThrows(IllegalStateException.class, () -> set.add(e.fd(), Unix.POLLIN));
        }
        assertThrows(IllegalArgumentException.class, () -> new PollSet(0));
        assertThrows(IllegalArgumentException.class, () -> new PollSet(PollSet.MAX_CAPACITY + 1));
    }

    @Test
    void shouldSleepInTheKernelForTheWholeTimeoutWithoutBurningCpu() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "no thread CPU time on this JVM");
        try (EventFd e = EventFd.create()) {
            Unix.poll(e.fd(), Unix.POLLIN, 0); // warm up: scratch memory, JNA
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            assertEquals(0, Unix.poll(e.fd(), Unix.POLLIN, 200 * MILLI));
            long wall = System.nanoTime() - start;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            System.out.printf("poll 200 ms: wall %d us, thread CPU %d us%n", wall / 1000, cpu / 1000);
            assertTrue(wall >= 200 * MILLI, "returned early: " + wall);
            assertTrue(cpu < 20 * MILLI, "busy-waited: " + cpu + " ns CPU in " + wall + " ns");
        }
    }

    @Test
    void shouldHonourASubMillisecondTimeout() throws Exception {
        try (EventFd e = EventFd.create()) {
            PollSet set = new PollSet(1);
            set.add(e.fd(), Unix.POLLIN);
            set.poll(0); // warm up
            long start = System.nanoTime();
            assertEquals(0, set.poll(300_000));
            long wall = System.nanoTime() - start;
            // poll(2)'s millisecond timeout would round 300 us up to 1 ms or down to 0.
            assertTrue(wall >= 300_000, "returned early: " + wall);
            assertTrue(wall < 50 * MILLI, "far too late: " + wall);
        }
    }

    @Test
    void shouldEndALongWaitPromptlyWhenAnotherThreadSignals() throws Exception {
        try (EventFd e = EventFd.create()) {
            PollSet set = new PollSet(1);
            set.add(e.fd(), Unix.POLLIN);
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Long> woken = CompletableFuture.supplyAsync(() -> {
                waiting.countDown();
                int n = set.poll(30 * SECOND);
                long at = System.nanoTime();
                return n == 1 && set.revents(0) == Unix.POLLIN ? at : -1L;
            });
            assertTrue(waiting.await(10, TimeUnit.SECONDS));
            Thread.sleep(100); // let it block in ppoll
            assertTrue(!woken.isDone());
            long signalled = System.nanoTime();
            assertEquals(0, e.signal(1));
            long at = woken.get(5, TimeUnit.SECONDS);
            assertTrue(at > 0, "wrong poll result");
            long latency = at - signalled;
            System.out.printf("wake-up latency %d us%n", latency / 1000);
            assertTrue(latency < SECOND, "slow wake-up: " + latency);
        }
    }

    @Test
    void shouldAllocateNothingPerWait() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        try (EventFd e = EventFd.create()) {
            PollSet set = new PollSet(1);
            set.add(e.fd(), Unix.POLLIN);
            e.signal(1);
            for (int i = 0; i < 20_000; i++) { // warm up: JIT, scratch
                set.poll(0);
                Unix.poll(e.fd(), Unix.POLLIN, 0);
            }
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            int ready = 0;
            for (int i = 0; i < 10_000; i++) {
                ready += set.poll(0);
                ready += Unix.poll(e.fd(), Unix.POLLIN, 0) == Unix.POLLIN ? 1 : 0;
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertEquals(20_000, ready);
            // Far below one byte per call: a per-call Pointer or array would cost 16+ bytes each.
            assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 20,000 waits");
        }
    }

    @Test
    void shouldLeakNoDescriptorOverAThousandPollSets() throws Exception {
        cycle();
        long descriptors = Await.openDescriptors();
        for (int i = 0; i < 1000; i++) {
            cycle();
        }
        long now = Await.openDescriptors();
        // Slack of 2 for descriptors the JVM itself may open meanwhile (jar files, GC logs).
        assertTrue(now <= descriptors + 2, "descriptors before " + descriptors + ", after " + now);
    }

    private static void cycle() throws Exception {
        try (EventFd a = EventFd.create(); EventFd b = EventFd.create()) {
            PollSet set = new PollSet(2);
            set.add(a.fd(), Unix.POLLIN);
            set.add(b.fd(), Unix.POLLIN);
            assertEquals(0, b.signal(1));
            assertEquals(1, set.poll(SECOND));
        }
    }
}
