package io.ferry.core.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.Pollable;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.nio.NioDriverFactory;
import io.ferry.testkit.EventLoops;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driver probe and its demo step: every event kind fires on each real driver, a driver that
 * loses wake-ups or cannot be created fails the probe (bounded, never a hang), and the probe's
 * thread and driver are gone afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriverProbeTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static EventDriverFactory factory(String driver) {
        EventDriverFactory f = driver.equals("epoll") ? new EpollDriverFactory() : new NioDriverFactory();
        assumeTrue(f.isAvailable(), driver + " is not available here");
        return f;
    }

    private static long probeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("ferry-probe-")).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldSeeFileTimeAndExternalEventsFire(String driver) throws Exception {
        DriverProbe.Report report = DriverProbe.run(factory(driver), 3, 5_000);

        assertEquals(driver, report.driver());
        assertEquals(driver.equals("epoll") ? "eventfd" : "pipe", report.source());
        assertEquals(3, report.rounds());
        assertTrue(report.fileEventNanos() > 0 && report.externalEventNanos() > 0, report.toString());
        assertTrue(report.burstEvents() > 0 && report.afterBurstNanos() > 0, report.toString());
        assertTrue(report.timeEventLateNanos() >= 0, report.toString());
        assertTrue(report.summary().contains("external event wake-up"), report.summary());
        EventLoops.awaitCondition(() -> probeThreads() == 0, BOUND, "probe thread ending");
    }

    /**
     * Regression test for a lost wake-up: a driver that clears its "wake-up pending" flag before
     * consuming the wake-up signal can swallow a concurrent producer's signal while the flag stays
     * set, after which no producer signals again and the loop sleeps through every later event.
     * Bursts from several threads make that interleaving likely; each is followed by a lone event
     * that must still wake the loop.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldStillWakeTheLoopAfterBurstsOfExternalEventsFromOtherThreads(String driver) throws Exception {
        DriverProbe.Report report = DriverProbe.run(factory(driver), 30, 5_000);

        assertEquals(30, report.rounds());
        assertTrue(report.burstEvents() >= 30, report.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldReportTheProbeAsTheDemoStepResult(String driver) throws Exception {
        DriverDemoStep step = new DriverDemoStep(factory(driver));

        String text = EventLoops.await(step.run().toCompletableFuture(), BOUND, "demo step");

        assertEquals("core: event driver " + driver, step.name());
        assertTrue(text.contains("time event") && text.contains("external event"), text);
    }

    @Test
    void shouldFailTheProbeInsteadOfHangingWhenTheDriverLosesAWakeUp() throws Exception {
        EventDriverFactory lossy = new WrappingFactory(new NioDriverFactory(), true);

        assertThrows(TimeoutException.class, () -> DriverProbe.run(lossy, 5, 300));

        EventLoops.awaitCondition(() -> probeThreads() == 0, BOUND, "probe thread ending");
    }

    @Test
    void shouldCloseTheDriverWhenTheProbeFails() throws Exception {
        WrappingFactory lossy = new WrappingFactory(new NioDriverFactory(), true);

        assertThrows(TimeoutException.class, () -> DriverProbe.run(lossy, 5, 300));

        EventLoops.awaitCondition(() -> lossy.closed.get() == lossy.created.get(), BOUND, "driver closing");
        assertEquals(1, lossy.created.get());
    }

    @Test
    void shouldFailTheDemoStepWithTheReasonWhenNoDriverCanBeCreated() {
        EventDriverFactory broken = new WrappingFactory(new NioDriverFactory(), false) {
            @Override
            public EventDriver create() throws IOException {
                throw new IOException("out of descriptors");
            }
        };

        CompletableFuture<String> result = new DriverDemoStep(broken).run().toCompletableFuture();

        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause().getMessage().contains("out of descriptors"), e.getCause().toString());
    }

    @Test
    void shouldRefuseNonsenseArguments() {
        assertThrows(IllegalArgumentException.class, () -> DriverProbe.run(new NioDriverFactory(), 0, 1_000));
        assertThrows(IllegalArgumentException.class, () -> DriverProbe.run(new NioDriverFactory(), 1, 0));
    }

    /**
     * A factory whose drivers count closes and, when lossy, lose every wake-up; a lossy driver
     * still returns from each poll within {@link #LOSSY_MAX_WAIT_NANOS}, so its loop can stop.
     */
    static class WrappingFactory implements EventDriverFactory {
        static final long LOSSY_MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
        final EventDriverFactory delegate;
        final boolean lossy;
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        WrappingFactory(EventDriverFactory delegate, boolean lossy) {
            this.delegate = delegate;
            this.lossy = lossy;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public boolean isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public boolean pollsFileDescriptors() {
            return delegate.pollsFileDescriptors();
        }

        @Override
        public EventDriver create() throws IOException {
            EventDriver d = delegate.create();
            created.incrementAndGet();
            AtomicBoolean isClosed = new AtomicBoolean();
            return new EventDriver() {
                @Override
                public String name() {
                    return d.name();
                }

                @Override
                public boolean accepts(Pollable pollable) {
                    return d.accepts(pollable);
                }

                @Override
                public void register(Pollable pollable, int mask, Object attachment) throws IOException {
                    d.register(pollable, mask, attachment);
                }

                @Override
                public void modify(Pollable pollable, int mask) throws IOException {
                    d.modify(pollable, mask);
                }

                @Override
                public void deregister(Pollable pollable) {
                    d.deregister(pollable);
                }

                @Override
                public int poll(ReadyHandler handler, long timeoutNanos) throws IOException {
                    boolean capped = lossy && (timeoutNanos < 0 || timeoutNanos > LOSSY_MAX_WAIT_NANOS);
                    return d.poll(handler, capped ? LOSSY_MAX_WAIT_NANOS : timeoutNanos);
                }

                @Override
                public void wakeup() {
                    if (!lossy) {
                        d.wakeup();
                    }
                }

                @Override
                public void close() {
                    if (isClosed.compareAndSet(false, true)) {
                        closed.incrementAndGet();
                    }
                    d.close();
                }
            };
        }
    }
}
