package io.ferry.core.epoll;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.Pollable;
import io.ferry.core.jna.LibC;
import io.ferry.core.jna.NativeBuffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpollDriverTest {
    /** Descriptors closed after each test: eventfds and socket pairs. */
    private final List<Integer> eventfds = new ArrayList<>();
    private final ByteBuffer word = NativeBuffers.allocate(8);
    private EpollDriver driver;

    /** What one poll handed to the handler. */
    private static final class Recorder implements EventDriver.ReadyHandler {
        final List<Object> attachments = new ArrayList<>();
        final List<Integer> masks = new ArrayList<>();

        @Override
        public void ready(Object attachment, int readyMask) {
            attachments.add(attachment);
            masks.add(readyMask);
        }
    }

    @BeforeAll
    static void requireEpoll() {
        assumeTrue(LibC.isAvailable(), () -> "epoll unavailable: " + LibC.unavailableReason());
    }

    @BeforeEach
    void createDriver() throws IOException {
        driver = new EpollDriver(16);
    }

    @AfterEach
    void closeAll() {
        driver.close();
        for (int fd : eventfds) {
            LibC.close(fd);
        }
    }

    @Test
    void shouldReportEventfdReadableOnlyOnceItHasAValue() throws IOException {
        int fd = eventfd();
        driver.register(Pollable.ofFd(fd), EventMask.READABLE, "efd");

        Recorder none = new Recorder();
        assertEquals(0, driver.poll(none, 0));
        assertTrue(none.attachments.isEmpty());

        signal(fd);
        Recorder ready = new Recorder();
        assertEquals(1, driver.poll(ready, TimeUnit.SECONDS.toNanos(5)));
        assertEquals(List.of("efd"), ready.attachments);
        assertEquals(List.of(EventMask.READABLE), ready.masks);
    }

    @Test
    void shouldKeepReportingLevelTriggeredReadinessUntilDrained() throws IOException {
        int fd = eventfd();
        driver.register(Pollable.ofFd(fd), EventMask.READABLE, "efd");
        signal(fd);
        assertEquals(1, driver.poll(new Recorder(), 0));
        assertEquals(1, driver.poll(new Recorder(), 0), "still readable: level-triggered");
        drain(fd);
        assertEquals(0, driver.poll(new Recorder(), 0));
    }

    @Test
    void shouldReportWritableForWritableInterest() throws IOException {
        int fd = eventfd();
        driver.register(Pollable.ofFd(fd), EventMask.WRITABLE, "efd");
        Recorder r = new Recorder();
        assertEquals(1, driver.poll(r, 0));
        assertEquals(List.of(EventMask.WRITABLE), r.masks);

        driver.modify(Pollable.ofFd(fd), EventMask.READABLE);
        assertEquals(0, driver.poll(new Recorder(), 0), "nothing to read yet");
    }

    @Test
    void shouldEndABlockedPollWhenWokenFromAnotherThread() throws Exception {
        AtomicInteger result = new AtomicInteger(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch polling = new CountDownLatch(1);
        Thread owner = new Thread(() -> {
            try {
                polling.countDown();
                result.set(driver.poll(new Recorder(), -1));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "epoll-owner");
        owner.start();
        polling.await();
        Thread.sleep(50);
        assertTrue(owner.isAlive(), "an infinite poll must block until woken");

        driver.wakeup();
        owner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(owner.isAlive(), "wakeup did not end the blocked poll");
        assertEquals(null, failure.get());
        assertEquals(0, result.get(), "the wake-up eventfd is not reported to the handler");
        assertEquals(0, driver.poll(new Recorder(), 0), "the wake-up was drained");
    }

    @Test
    void shouldMakeTheNextPollReturnWhenWokenBeforeIt() throws IOException {
        driver.wakeup();
        driver.wakeup();
        long start = System.nanoTime();
        assertEquals(0, driver.poll(new Recorder(), TimeUnit.SECONDS.toNanos(30)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "pending wake-up ignored");
    }

    @Test
    void shouldWaitAtLeastTheTimeoutWhenNothingHappens() throws IOException {
        long start = System.nanoTime();
        assertEquals(0, driver.poll(new Recorder(), TimeUnit.MILLISECONDS.toNanos(60)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(59),
                "returned before the timeout");
    }

    @Test
    void shouldEndEveryTimedPollThroughTheTimerWithoutReportingIt() throws Exception {
        // first a long deadline, then shorter ones: each poll must end by its own deadline
        for (long millis : new long[] {200, 30, 5, 5, 40}) {
            long start = System.nanoTime();
            assertEquals(0, driver.poll(new Recorder(), TimeUnit.MILLISECONDS.toNanos(millis)), "the timer is not an event");
            long took = System.nanoTime() - start;
            assertTrue(took < TimeUnit.SECONDS.toNanos(10), "a timed poll of " + millis + " ms did not end");
        }
        assertEquals(0, driver.poll(new Recorder(), 0), "no stale timer expiry is reported");
        // an infinite poll after timed ones still blocks until woken, and the wake-up still works
        driver.wakeup();
        assertEquals(0, driver.poll(new Recorder(), -1));
    }

    @Test
    void shouldRoundTimeoutsUpToWholeMilliseconds() {
        assertEquals(0, EpollDriver.toTimeoutMillis(0));
        assertEquals(-1, EpollDriver.toTimeoutMillis(-1));
        assertEquals(-1, EpollDriver.toTimeoutMillis(Long.MIN_VALUE));
        assertEquals(1, EpollDriver.toTimeoutMillis(1));
        assertEquals(1, EpollDriver.toTimeoutMillis(1_000_000));
        assertEquals(2, EpollDriver.toTimeoutMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, EpollDriver.toTimeoutMillis(Long.MAX_VALUE));
    }

    @Test
    void shouldReportHangupsAndErrorsAsReadableAndWritable() {
        assertEquals(EventMask.ALL, EpollDriver.readyMask(LibC.EPOLLERR));
        assertEquals(EventMask.ALL, EpollDriver.readyMask(LibC.EPOLLHUP));
        assertEquals(EventMask.READABLE, EpollDriver.readyMask(LibC.EPOLLRDHUP));
        assertEquals(EventMask.READABLE, EpollDriver.readyMask(LibC.EPOLLIN));
        assertEquals(EventMask.WRITABLE, EpollDriver.readyMask(LibC.EPOLLOUT));
        assertEquals(LibC.EPOLLIN | LibC.EPOLLRDHUP, EpollDriver.epollEvents(EventMask.READABLE));
        assertEquals(LibC.EPOLLOUT, EpollDriver.epollEvents(EventMask.WRITABLE));
    }

    @Test
    void shouldStopReportingAfterDeregister() throws IOException {
        int fd = eventfd();
        driver.register(Pollable.ofFd(fd), EventMask.READABLE, "efd");
        signal(fd);
        driver.deregister(Pollable.ofFd(fd));
        assertEquals(0, driver.registeredCount());
        assertEquals(0, driver.poll(new Recorder(), 0));
        assertDoesNotThrow(() -> driver.deregister(Pollable.ofFd(fd)), "deregistering twice is ignored");
    }

    @Test
    void shouldNotReportWhilePausedAndReportOnceResumed() throws IOException {
        int fd = eventfd();
        driver.register(Pollable.ofFd(fd), EventMask.NONE, "efd");
        signal(fd);
        assertEquals(0, driver.poll(new Recorder(), 0));
        driver.modify(Pollable.ofFd(fd), EventMask.READABLE);
        assertEquals(1, driver.poll(new Recorder(), 0));
    }

    @Test
    void shouldDropAnEventFetchedForADescriptorDeregisteredInTheSamePoll() throws IOException {
        int a = eventfd();
        int b = eventfd();
        driver.register(Pollable.ofFd(a), EventMask.READABLE, a);
        driver.register(Pollable.ofFd(b), EventMask.READABLE, b);
        signal(a);
        signal(b);
        List<Object> delivered = new ArrayList<>();
        int n = driver.poll((attachment, mask) -> {
            delivered.add(attachment);
            int other = (Integer) attachment == a ? b : a;
            driver.deregister(Pollable.ofFd(other));
        }, 0);
        assertEquals(1, n);
        assertEquals(1, delivered.size());
    }

    @Test
    void shouldRefuseDoubleRegistrationAndUnknownModify() throws IOException {
        int fd = eventfd();
        driver.register(Pollable.ofFd(fd), EventMask.READABLE, "efd");
        IOException twice = assertThrows(IOException.class,
                () -> driver.register(Pollable.ofFd(fd), EventMask.READABLE, "again"));
        assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());
        assertThrows(IOException.class, () -> driver.modify(Pollable.ofFd(eventfd()), EventMask.READABLE));
    }

    @Test
    void shouldRefuseAClosedDescriptorWithTheKernelsReason() {
        int fd = eventfd();
        LibC.close(fd);
        eventfds.remove((Integer) fd);
        IOException e = assertThrows(IOException.class,
                () -> driver.register(Pollable.ofFd(fd), EventMask.READABLE, "gone"));
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
    }

    @Test
    void shouldGrowItsTableForHighDescriptorNumbers() throws IOException {
        List<Integer> fds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fds.add(eventfd());
        }
        for (int fd : fds) {
            driver.register(Pollable.ofFd(fd), EventMask.READABLE, fd);
        }
        int last = fds.get(fds.size() - 1);
        signal(last);
        Recorder r = new Recorder();
        assertEquals(1, driver.poll(r, 0));
        assertEquals(List.of(last), r.attachments);
        assertEquals(100, driver.registeredCount());
    }

    @Test
    void shouldIgnoreWakeupAfterCloseAndCloseTwice() throws Exception {
        driver.close();
        assertDoesNotThrow(driver::wakeup);
        assertDoesNotThrow(driver::close);
        assertThrows(IOException.class, () -> driver.poll(new Recorder(), 0));
        assertThrows(IOException.class, () -> driver.register(Pollable.ofFd(0), EventMask.READABLE, "x"));
    }

    @Test
    void shouldNeverWriteToAReusedDescriptorWhenWakeupRacesClose() throws Exception {
        for (int round = 0; round < 50; round++) {
            EpollDriver d = new EpollDriver(4);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch waking = new CountDownLatch(1);
            Thread waker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        d.wakeup();
                        waking.countDown();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            waker.start();
            waking.await();
            d.poll(new Recorder(), 0);
            d.close();
            // Descriptors opened now take the numbers the driver released: they must stay untouched.
            int[] fresh = {eventfd(), eventfd()};
            Thread.sleep(2);
            stop.set(true);
            waker.join();
            assertEquals(null, failure.get());
            for (int fd : fresh) {
                assertEquals(-1, LibC.read(fd, NativeBuffers.address(word), 8), "a wake-up leaked into fd " + fd);
            }
        }
    }

    @Test
    void shouldReportEdgeTriggeredReadinessOnlyWhenNewOrReArmed() throws IOException {
        int[] pair = socketPair();
        driver.register(Pollable.ofFd(pair[0]), EventMask.READABLE | EventMask.EDGE_TRIGGERED, "edge");
        assertEquals(0, driver.poll(new Recorder(), 0));
        send(pair[1]);
        Recorder first = new Recorder();
        assertEquals(1, driver.poll(first, TimeUnit.SECONDS.toNanos(5)));
        assertEquals(List.of(EventMask.READABLE), first.masks);
        assertEquals(0, driver.poll(new Recorder(), 0), "not drained, but nothing new: edge-triggered");
        send(pair[1]);
        assertEquals(1, driver.poll(new Recorder(), 0), "new bytes are a new edge");
        driver.modify(Pollable.ofFd(pair[0]), EventMask.ALL | EventMask.EDGE_TRIGGERED);
        Recorder rearmed = new Recorder();
        assertEquals(1, driver.poll(rearmed, 0), "a changed interest re-arms");
        assertEquals(List.of(EventMask.ALL), rearmed.masks);
        assertEquals(0, driver.poll(new Recorder(), 0));
    }

    @Test
    void shouldFlagHangupsOnlyForEdgeTriggeredRegistrations() throws IOException {
        int[] edge = socketPair();
        int[] level = socketPair();
        driver.register(Pollable.ofFd(edge[0]), EventMask.READABLE | EventMask.EDGE_TRIGGERED, "edge");
        driver.register(Pollable.ofFd(level[0]), EventMask.READABLE, "level");
        for (int[] pair : new int[][] {edge, level}) {
            send(pair[1]);
            LibC.close(pair[1]);
            eventfds.remove(Integer.valueOf(pair[1]));
        }
        Recorder r = new Recorder();
        assertEquals(2, driver.poll(r, TimeUnit.SECONDS.toNanos(5)));
        int edgeMask = r.masks.get(r.attachments.indexOf("edge"));
        int levelMask = r.masks.get(r.attachments.indexOf("level"));
        assertEquals(EventMask.HANGUP, edgeMask & EventMask.HANGUP, "data and then the end: " + EventMask.toString(edgeMask));
        assertTrue((edgeMask & EventMask.READABLE) != 0);
        assertEquals(0, levelMask & EventMask.HANGUP, "level-triggered owners never see the bit");
        assertTrue((levelMask & EventMask.READABLE) != 0);
    }

    @Test
    void edgeTriggeredInterestShouldMapToEpollet() {
        assertEquals(LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLET,
                EpollDriver.epollEvents(EventMask.READABLE | EventMask.EDGE_TRIGGERED));
        assertEquals(LibC.EPOLLIN | LibC.EPOLLRDHUP, EpollDriver.epollEvents(EventMask.READABLE));
        assertEquals(LibC.EPOLLET, EpollDriver.epollEvents(EventMask.EDGE_TRIGGERED), "no interest: paused");
    }

    @Test
    void shouldAcceptOnlyPollablesWithDescriptors() {
        assertTrue(driver.accepts(Pollable.ofFd(3)));
        assertFalse(driver.accepts(new Pollable() {
        }));
        assertEquals("epoll", driver.name());
    }

    private int eventfd() {
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        assertTrue(fd >= 0, "eventfd failed");
        eventfds.add(fd);
        return fd;
    }

    /** An AF_UNIX stream pair; both ends closed after the test (with the eventfds). */
    private int[] socketPair() {
        ByteBuffer sv = NativeBuffers.allocate(8);
        assertEquals(0, LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0,
                NativeBuffers.address(sv)));
        eventfds.add(sv.getInt(0));
        eventfds.add(sv.getInt(4));
        return new int[] {sv.getInt(0), sv.getInt(4)};
    }

    private void send(int fd) {
        word.putLong(0, 1);
        assertEquals(1, LibC.send(fd, NativeBuffers.address(word), 1, LibC.MSG_NOSIGNAL));
    }

    private void signal(int fd) {
        word.putLong(0, 1);
        assertEquals(8, LibC.write(fd, NativeBuffers.address(word), 8));
    }

    private void drain(int fd) {
        LibC.read(fd, NativeBuffers.address(word), 8);
    }
}
