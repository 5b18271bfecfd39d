package io.ferry.core.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.Pollable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NioDriverTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Duration GUARD = Duration.ofSeconds(10);

    private NioDriver driver;
    private Pipe pipe;
    private final List<String> events = new ArrayList<>();
    private final EventDriver.ReadyHandler recorder =
            (attachment, mask) -> events.add(attachment + ":" + EventMask.toString(mask));

    @BeforeEach
    void open() throws IOException {
        driver = new NioDriver();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        driver.close();
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void shouldReturnFromAnUnboundedPollWhenWokenUpFromAnotherThread() throws Exception {
        driver.register(source(), EventMask.READABLE, "source");
        CountDownLatch polling = new CountDownLatch(1);
        Thread waker = new Thread(() -> {
            try {
                polling.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            driver.wakeup();
        });
        waker.start();

        int ready = assertTimeoutPreemptively(GUARD, () -> {
            polling.countDown();
            return driver.poll(recorder, -1);
        });

        waker.join();
        assertEquals(0, ready);
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldMakeTheNextPollReturnWhenWokenUpBeforeIt() {
        driver.wakeup();

        int ready = assertTimeoutPreemptively(GUARD, () -> driver.poll(recorder, -1));

        assertEquals(0, ready);
    }

    @Test
    void shouldWaitForTheTimeoutWhenNothingIsReady() throws Exception {
        driver.register(source(), EventMask.READABLE, "source");
        long timeout = TimeUnit.MILLISECONDS.toNanos(60);
        long start = System.nanoTime();

        int ready = driver.poll(recorder, timeout);

        long waited = System.nanoTime() - start;
        assertEquals(0, ready);
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), "returned after " + waited + " ns");
    }

    @Test
    void shouldNotWaitWithAZeroTimeout() throws Exception {
        driver.register(source(), EventMask.READABLE, "source");

        int ready = assertTimeoutPreemptively(GUARD, () -> driver.poll(recorder, 0));

        assertEquals(0, ready);
    }

    @Test
    void shouldReportAPipeSourceReadableOnceDataIsWritten() throws Exception {
        driver.register(source(), EventMask.READABLE, "source");
        assertEquals(0, driver.poll(recorder, 0));

        pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));

        assertEquals(1, driver.poll(recorder, SECOND));
        assertEquals(List.of("source:r-"), events);
    }

    @Test
    void shouldKeepReportingUnreadDataLevelTriggered() throws Exception {
        driver.register(source(), EventMask.READABLE, "source");
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

        driver.poll(recorder, SECOND);
        driver.poll(recorder, SECOND);

        assertEquals(List.of("source:r-", "source:r-"), events);
    }

    @Test
    void shouldMapWritableToOpWriteForAPipeSink() throws Exception {
        driver.register(sink(), EventMask.ALL, "sink");

        assertEquals(1, driver.poll(recorder, SECOND));
        assertEquals(List.of("sink:-w"), events);
    }

    @Test
    void shouldPauseAndResumeWithModify() throws Exception {
        Pollable source = source();
        driver.register(source, EventMask.READABLE, "source");
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

        driver.modify(source, EventMask.NONE);
        assertEquals(0, driver.poll(recorder, 0));
        driver.modify(source, EventMask.READABLE);

        assertEquals(1, driver.poll(recorder, SECOND));
    }

    @Test
    void shouldRegisterAChannelAgainRightAfterDeregisteringIt() throws Exception {
        Pollable source = source();
        driver.register(source, EventMask.READABLE, "first");
        driver.deregister(source);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

        driver.register(source, EventMask.READABLE, "second");

        assertEquals(1, driver.poll(recorder, SECOND));
        assertEquals(List.of("second:r-"), events);
    }

    @Test
    void shouldKeepAWakeupThatTheFlushOfCancelledKeysConsumed() throws Exception {
        Pollable source = source();
        driver.register(source, EventMask.READABLE, "first");
        driver.deregister(source);
        driver.wakeup();

        driver.register(source, EventMask.READABLE, "second");

        assertEquals(0, (int) assertTimeoutPreemptively(GUARD, () -> driver.poll(recorder, -1)));
    }

    @Test
    void shouldLetAHandlerDeregisterAndRegisterTheSameChannelDuringAPoll() throws Exception {
        Pollable source = source();
        driver.register(source, EventMask.READABLE, "first");
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        List<Exception> failures = new ArrayList<>();

        driver.poll((attachment, mask) -> {
            events.add(attachment + ":" + EventMask.toString(mask));
            driver.deregister(source);
            try {
                driver.register(source, EventMask.READABLE, "second");
            } catch (IOException e) {
                failures.add(e);
            }
        }, SECOND);
        driver.poll(recorder, SECOND);

        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(List.of("first:r-", "second:r-"), events);
    }

    @Test
    void shouldStopReportingAChannelAHandlerDeregisteredDuringAPoll() throws Exception {
        Pollable source = source();
        driver.register(source, EventMask.READABLE, "source");
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

        driver.poll((attachment, mask) -> driver.deregister(source), SECOND);

        assertEquals(0, driver.poll(recorder, 0));
        assertTrue(events.isEmpty());
        driver.register(source, EventMask.READABLE, "again");
        assertEquals(1, driver.poll(recorder, SECOND));
    }

    @Test
    void shouldRefuseASecondRegistrationOfTheSameChannel() throws Exception {
        driver.register(source(), EventMask.READABLE, "first");

        assertThrows(IOException.class, () -> driver.register(source(), EventMask.READABLE, "second"));
    }

    @Test
    void shouldRefuseModifyingAnUnregisteredChannel() {
        assertThrows(IOException.class, () -> driver.modify(source(), EventMask.READABLE));
    }

    @Test
    void shouldIgnoreDeregisteringAnUnknownPollable() {
        driver.deregister(source());
        driver.deregister(Pollable.ofFd(0));
    }

    @Test
    void shouldAcceptOnlyChannelPollables() {
        assertTrue(driver.accepts(source()));
        assertFalse(driver.accepts(Pollable.ofFd(0)));
        assertThrows(IOException.class, () -> driver.register(Pollable.ofFd(0), EventMask.READABLE, "fd"));
    }

    @Test
    void shouldRefuseABlockingChannel() throws Exception {
        pipe.source().configureBlocking(true);

        IOException e = assertThrows(IOException.class, () -> driver.register(source(), EventMask.READABLE, "source"));
        assertTrue(e.getMessage().contains("blocking"), e.getMessage());
    }

    @Test
    void shouldRefuseAClosedChannel() throws Exception {
        pipe.source().close();

        assertThrows(IOException.class, () -> driver.register(source(), EventMask.READABLE, "source"));
    }

    @Test
    void shouldIgnoreAWakeupAfterCloseAndFailAPoll() {
        driver.close();

        driver.wakeup();
        driver.close();
        assertThrows(IOException.class, () -> driver.poll(recorder, 0));
        assertThrows(IOException.class, () -> driver.register(source(), EventMask.READABLE, "source"));
    }

    @Test
    void shouldLeaveRegisteredChannelsOpenOnClose() throws Exception {
        driver.register(source(), EventMask.READABLE, "source");

        driver.close();

        assertTrue(pipe.source().isOpen());
    }

    @Test
    void shouldDescribeTheFactory() throws Exception {
        NioDriverFactory factory = new NioDriverFactory();

        assertEquals("nio", factory.name());
        assertTrue(factory.isAvailable());
        assertFalse(factory.pollsFileDescriptors());
        try (EventDriver created = factory.create()) {
            assertInstanceOf(NioDriver.class, created);
            assertEquals("nio", created.name());
        }
    }

    private Pollable source() {
        return channel(pipe.source());
    }

    private Pollable sink() {
        return channel(pipe.sink());
    }

    private static Pollable channel(SelectableChannel channel) {
        return new Pollable() {
            @Override
            public SelectableChannel channel() {
                return channel;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Pollable && ((Pollable) o).channel() == channel;
            }

            @Override
            public int hashCode() {
                return System.identityHashCode(channel);
            }
        };
    }
}
