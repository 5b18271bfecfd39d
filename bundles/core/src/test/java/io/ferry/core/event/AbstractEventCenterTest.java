package io.ferry.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.TimeEvent;
import io.ferry.testkit.EventLoops;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DefaultEventCenter} and {@link EventLoopWorker} over one driver kind; a subclass per
 * driver supplies the factory and a pollable the test can make readable. Waits are bounded;
 * nothing asserts on timing (a time event must never run early, which is correctness, not speed).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // safety net; every wait has its own bound
abstract class AbstractEventCenterTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    /** @return the driver factory under test (available on this machine). */
    abstract EventDriverFactory factory();

    /** @return a fresh pollable the driver accepts. */
    abstract TestSignal openSignal() throws Exception;

    @AfterEach
    final void cleanUp() throws Exception {
        Exception failure = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private EventLoopWorker startWorker(String name) throws Exception {
        EventLoopWorker worker = new EventLoopWorker(0, name, factory().create());
        worker.start();
        cleanup.push(() -> assertTrue(worker.stop(10_000), name + " did not stop"));
        return worker;
    }

    private TestSignal signal() throws Exception {
        TestSignal s = openSignal();
        cleanup.push(s);
        return s;
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    // ---- time events ----

    @Test
    void timeEventsRunInDeadlineOrderWithEqualDelaysInScheduleOrderAndNeverEarly() throws Exception {
        EventLoopWorker worker = startWorker("time-order-" + factory().name());
        EventCenter center = worker.center();
        long[] delays = {30, 0, 10, 20, 10, 0, 5, 30, 20, 0};
        int equalBatch = 1000;
        List<Integer> ran = new ArrayList<>(); // loop thread only until done
        List<String> early = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        EventLoops.runAndWait(center, () -> {
            for (int i = 0; i < delays.length; i++) {
                int id = i;
                TimeEvent[] t = new TimeEvent[1];
                t[0] = center.createTimeEvent(ms(delays[i]), () -> {
                    if (System.nanoTime() - t[0].deadlineNanos() < 0) {
                        early.add("event " + id);
                    }
                    ran.add(id);
                });
            }
            // A burst with one delay: deadlines equal or increasing, so schedule order must hold.
            for (int i = 0; i < equalBatch; i++) {
                int id = 100 + i;
                center.createTimeEvent(ms(40), () -> ran.add(id));
            }
            center.createTimeEvent(ms(60), () -> done.complete(null));
        }, WAIT);
        EventLoops.await(done, WAIT, "the last time event");

        List<Integer> expected = IntStream.range(0, delays.length).boxed()
                .sorted(Comparator.comparingLong(i -> delays[i])) // stable: ties keep schedule order
                .collect(Collectors.toCollection(ArrayList::new));
        IntStream.range(0, equalBatch).forEach(i -> expected.add(100 + i));
        assertEquals(expected, ran);
        assertEquals(List.of(), early, "time events that ran before their deadline");
    }

    @Test
    void cancelledTimeEventsNeverRunAndCancelReportsOnlyTheFirstCall() throws Exception {
        EventLoopWorker worker = startWorker("time-cancel-" + factory().name());
        DefaultEventCenter center = worker.defaultCenter();
        List<Integer> ran = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        CompletableFuture<Integer> pendingAfterCancel = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        EventLoops.runAndWait(center, () -> {
            List<TimeEvent> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int id = i;
                events.add(center.createTimeEvent(ms(5), () -> ran.add(id)));
            }
            for (int i = 0; i < 20; i += 2) {
                if (!events.get(i).cancel()) {
                    wrong.add("first cancel of " + i + " returned false");
                }
                if (events.get(i).cancel()) {
                    wrong.add("second cancel of " + i + " returned true");
                }
            }
            // Mass cancellation, enough to make the center purge its queue.
            List<TimeEvent> mass = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                int id = 1000 + i;
                mass.add(center.createTimeEvent(ms(10), () -> ran.add(id)));
            }
            for (int i = 0; i < 3000; i++) {
                if (i % 6 != 0 && !mass.get(i).cancel()) {
                    wrong.add("cancel of mass event " + i + " returned false");
                }
            }
            pendingAfterCancel.complete(center.timeEventCount());
            center.createTimeEvent(ms(30), () -> {
                if (events.get(1).cancel()) {
                    wrong.add("cancel after the event ran returned true");
                }
                done.complete(null);
            });
        }, WAIT);
        EventLoops.await(done, WAIT, "the last time event");

        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i < 20; i += 2) {
            expected.add(i);
        }
        for (int i = 0; i < 3000; i += 6) {
            expected.add(1000 + i);
        }
        assertEquals(expected, ran);
        assertEquals(List.of(), wrong);
        assertEquals(10 + 500, pendingAfterCancel.get(), "pending time events after the cancellations");
        assertEquals(0, EventLoops.callAndWait(center, center::timeEventCount, WAIT));
    }

    // ---- external events ----

    @Test
    void externalEventsFromManyThreadsAllRunOnTheLoopInPerProducerOrder() throws Exception {
        EventLoopWorker worker = startWorker("external-" + factory().name());
        EventCenter center = worker.center();
        int producers = 8;
        int perProducer = 20_000;
        int[] next = new int[producers]; // loop thread only
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        CountDownLatch allRan = new CountDownLatch(producers * perProducer);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    boolean queued = center.execute(() -> {
                        if (!center.inEventLoop()) {
                            wrong.add("ran on " + Thread.currentThread().getName());
                        }
                        if (next[producer] != seq) {
                            wrong.add("producer " + producer + ": ran " + seq + ", expected " + next[producer]);
                        }
                        next[producer] = seq + 1;
                        allRan.countDown();
                    });
                    if (!queued) {
                        refused.incrementAndGet();
                    }
                }
            }, "producer-" + p);
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(WAIT.toMillis());
            assertFalse(t.isAlive(), t.getName() + " did not finish queueing");
        }
        assertTrue(allRan.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                allRan.getCount() + " external events did not run");
        assertEquals(0, refused.get(), "a running center refused tasks");
        assertEquals(List.of(), new ArrayList<>(wrong));
    }

    @Test
    void executeWakesALoopBlockedInItsDriver() throws Exception {
        // The loop waits up to an hour per turn: only execute()'s wake-up lets each task run
        // within the bound. Many rounds, to meet the sleep/wake hand-shake in every interleaving.
        ManualLoop loop = new ManualLoop("wakeup-" + factory().name(), factory().create(), Duration.ofHours(1)).start();
        cleanup.push(loop);
        for (int round = 0; round < 300; round++) {
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            assertTrue(loop.center.execute(() -> ran.complete(loop.center.inEventLoop())));
            assertTrue(EventLoops.await(ran, WAIT, "round " + round + ": execute() waking the blocked loop"));
            if (round % 3 == 0) {
                Thread.sleep(1); // let the loop go back to sleep in the driver
            }
        }
        // Also while a far time event bounds the wait.
        EventLoops.runAndWait(loop.center, () -> loop.center.createTimeEvent(TimeUnit.HOURS.toNanos(1), () -> { }), WAIT);
        CompletableFuture<Void> ran = new CompletableFuture<>();
        Thread.sleep(5);
        assertTrue(loop.center.execute(() -> ran.complete(null)));
        EventLoops.await(ran, WAIT, "execute() waking a loop that waits for a time event");
        assertNull(loop.failure());
    }

    @Test
    void aPollingLoopMeetsQuickEventsAwakeLosesNoneAndStopsPollingWhenTheyComeRarely() throws Exception {
        // An hour per wait: whatever is not met while polling needs the wake-up hand-shake to run at all.
        ManualLoop loop = new ManualLoop("poll-" + factory().name(), factory().create(), Duration.ofHours(1)).start();
        cleanup.push(loop);
        DefaultEventCenter center = loop.center;
        assertThrows(IllegalArgumentException.class, () -> center.pollBeforeSleep(-1));
        center.pollBeforeSleep(TimeUnit.MILLISECONDS.toNanos(2));
        TestSignal signal = signal();
        AtomicInteger signalled = new AtomicInteger();
        FileEvent readiness = EventLoops.callAndWait(center, () -> center.createFileEvent(signal.pollable(),
                EventMask.READABLE, mask -> {
                    try {
                        signal.drain();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    signalled.incrementAndGet();
                }), WAIT);

        // Quick events, tasks and readiness in turn: each comes right after the previous one ran.
        for (int round = 0; round < 500; round++) {
            if (round % 2 == 0) {
                CompletableFuture<Boolean> ran = new CompletableFuture<>();
                assertTrue(center.execute(() -> ran.complete(center.inEventLoop())));
                assertTrue(EventLoops.await(ran, WAIT, "round " + round + ": a task"));
            } else {
                int before = signalled.get();
                signal.raise();
                EventLoops.awaitCondition(() -> signalled.get() > before, WAIT, "round " + round + ": readiness");
            }
        }
        assertTrue(center.pollsCaught() > 0, "events met while polling: " + center.pollsCaught());

        // Rare events: after a few sleeps the window is gone and the loop sleeps at once.
        for (int round = 0; round < 20; round++) {
            Thread.sleep(20);
            CompletableFuture<Void> ran = new CompletableFuture<>();
            assertTrue(center.execute(() -> ran.complete(null)));
            EventLoops.await(ran, WAIT, "rare round " + round);
        }
        long missed = center.pollsMissed();
        for (int round = 0; round < 10; round++) {
            Thread.sleep(20);
            CompletableFuture<Void> ran = new CompletableFuture<>();
            assertTrue(center.execute(() -> ran.complete(null)));
            EventLoops.await(ran, WAIT, "rare round " + round);
        }
        assertEquals(missed, center.pollsMissed(), "no polling while events come further apart than the limit");

        center.pollBeforeSleep(0);
        assertEquals(0, center.pollBeforeSleepNanos());
        EventLoops.runAndWait(center, readiness::cancel, WAIT);
        assertNull(loop.failure());
    }

    @Test
    void aLoopPollingBeforeSleepStillHearsAWakeUpMeantToStopIt() throws Exception {
        // A poll drains the driver's wake-up like any event; the stop request must not be lost in
        // it, or the loop would sleep out its whole wait (an hour here) before seeing the request.
        for (int round = 0; round < 3; round++) {
            ManualLoop loop = new ManualLoop("poll-stop-" + factory().name(), factory().create(), Duration.ofHours(1)).start();
            loop.center.pollBeforeSleep(TimeUnit.MILLISECONDS.toNanos(10));
            // tasks 3 ms apart: each sleep ends within the limit, so the window grows to several ms
            for (int task = 0; task < 8; task++) {
                EventLoops.runAndWait(loop.center, () -> { }, WAIT);
                Thread.sleep(3);
            }
            EventLoops.runAndWait(loop.center, () -> { }, WAIT);
            long polled = loop.center.pollsCaught() + loop.center.pollsMissed();
            loop.close(); // lands while the loop polls after that task; must end it within close()'s bound
            assertTrue(polled > 0, "the loop polled before sleeping");
            assertNull(loop.failure());
        }
    }

    // ---- failures ----

    @Test
    void throwingHandlersAreCountedAndTheLoopKeepsRunning() throws Exception {
        EventLoopWorker worker = startWorker("throwing-" + factory().name());
        DefaultEventCenter center = worker.defaultCenter();
        TestSignal signal = signal();
        long before = center.handlerFailures();

        assertTrue(center.execute(() -> {
            throw new IllegalStateException("test: a throwing external event");
        }));
        EventLoops.runAndWait(center, () -> center.createTimeEvent(0, () -> {
            throw new AssertionError("test: a throwing time event");
        }), WAIT);
        AtomicInteger fileCalls = new AtomicInteger();
        FileEvent event = EventLoops.callAndWait(center, () -> center.createFileEvent(signal.pollable(),
                EventMask.READABLE, mask -> {
                    fileCalls.incrementAndGet();
                    throw new IllegalStateException("test: a throwing file event handler");
                }), WAIT);
        signal.raise();
        EventLoops.awaitCondition(() -> center.handlerFailures() == before + 3, WAIT,
                "three handler failures counted (now " + (center.handlerFailures() - before) + ")");

        // The loop still runs everything, and the failed file event was cancelled (fired once).
        CompletableFuture<Void> timer = new CompletableFuture<>();
        EventLoops.runAndWait(center, () -> center.createTimeEvent(ms(1), () -> timer.complete(null)), WAIT);
        EventLoops.await(timer, WAIT, "a time event after the failures");
        assertFalse(EventLoops.callAndWait(center, event::isActive, WAIT), "a file event whose handler threw is cancelled");
        assertEquals(1, fileCalls.get());
        assertEquals(0, EventLoops.callAndWait(center, center::fileEventCount, WAIT));
        assertTrue(worker.isRunning());
        assertEquals(before + 3, center.handlerFailures());
    }

    @Test
    void aTaskThatReschedulesItselfDoesNotStarveFileOrTimeEvents() throws Exception {
        EventLoopWorker worker = startWorker("rescheduling-" + factory().name());
        DefaultEventCenter center = worker.defaultCenter();
        TestSignal signal = signal();
        AtomicBoolean spinning = new AtomicBoolean(true);
        AtomicInteger turns = new AtomicInteger();
        Runnable again = new Runnable() {
            @Override
            public void run() {
                turns.incrementAndGet();
                if (spinning.get()) {
                    center.execute(this);
                }
            }
        };
        CompletableFuture<Integer> fired = new CompletableFuture<>();
        EventLoops.runAndWait(center, () -> {
            try {
                center.createFileEvent(signal.pollable(), EventMask.READABLE, fired::complete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, WAIT);
        CompletableFuture<Void> timer = new CompletableFuture<>();
        try {
            assertTrue(center.execute(again));
            EventLoops.awaitCondition(() -> turns.get() > 1000, WAIT, "the task re-schedules itself");
            assertTrue(center.execute(() -> center.createTimeEvent(ms(1), () -> timer.complete(null))));
            signal.raise();
            EventLoops.await(fired, WAIT, "a file event while a task keeps re-scheduling itself");
            EventLoops.await(timer, WAIT, "a time event while a task keeps re-scheduling itself");
        } finally {
            spinning.set(false);
        }
    }

    // ---- file events ----

    @Test
    void fileEventsFireOnReadinessPauseWithMaskNoneAndResume() throws Exception {
        EventLoopWorker worker = startWorker("file-" + factory().name());
        DefaultEventCenter center = worker.defaultCenter();
        TestSignal signal = signal();
        AtomicInteger fired = new AtomicInteger();
        Queue<Integer> masks = new ConcurrentLinkedQueue<>();
        FileEvent event = EventLoops.callAndWait(center, () -> center.createFileEvent(signal.pollable(),
                EventMask.READABLE, mask -> {
                    masks.add(mask);
                    fired.incrementAndGet();
                    try {
                        signal.drain();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), WAIT);
        assertThrows(IllegalStateException.class, () -> EventLoops.callAndWait(center,
                () -> center.createFileEvent(signal.pollable(), EventMask.READABLE, mask -> { }), WAIT),
                "a second file event for one pollable is refused");

        signal.raise();
        EventLoops.awaitCondition(() -> fired.get() == 1, WAIT, "READABLE after raising the signal");
        assertEquals(List.of(EventMask.READABLE), new ArrayList<>(masks));

        EventLoops.runAndWait(center, () -> event.setMask(EventMask.NONE), WAIT);
        signal.raise();
        // Let the loop turn several times with the pollable readable: a paused event stays quiet.
        for (int turn = 0; turn < 5; turn++) {
            EventLoops.runAndWait(center, () -> { }, WAIT);
        }
        assertEquals(1, fired.get(), "a file event with mask NONE fired");
        assertTrue(EventLoops.callAndWait(center, event::isActive, WAIT), "NONE pauses, it does not cancel");

        EventLoops.runAndWait(center, () -> event.setMask(EventMask.READABLE), WAIT);
        EventLoops.awaitCondition(() -> fired.get() == 2, WAIT, "READABLE once the mask is restored");

        EventLoops.runAndWait(center, () -> {
            event.cancel();
            event.cancel();
        }, WAIT);
        assertFalse(EventLoops.callAndWait(center, event::isActive, WAIT));
        // After a cancel the pollable can be registered again.
        FileEvent again = EventLoops.callAndWait(center, () -> center.createFileEvent(signal.pollable(),
                EventMask.READABLE, mask -> { }), WAIT);
        EventLoops.runAndWait(center, again::cancel, WAIT);
        assertEquals(0, EventLoops.callAndWait(center, center::fileEventCount, WAIT));
    }

    // ---- shutdown ----

    @Test
    void shutdownFiresLiveFileEventsOnceWithAllRunsQueuedTasksAndThenRefusesWork() throws Exception {
        EventLoopWorker worker = new EventLoopWorker(0, "shutdown-" + factory().name(), factory().create());
        worker.start();
        cleanup.push(() -> worker.stop(10_000));
        DefaultEventCenter center = worker.defaultCenter();
        TestSignal idle = signal();
        TestSignal paused = signal();
        TestSignal cancelled = signal();
        Queue<String> fired = new ConcurrentLinkedQueue<>();
        AtomicBoolean queuedDuringShutdownRan = new AtomicBoolean();
        AtomicBoolean timerRan = new AtomicBoolean();
        AtomicBoolean executeDuringShutdown = new AtomicBoolean();
        EventLoops.runAndWait(center, () -> {
            center.createFileEvent(idle.pollable(), EventMask.READABLE, mask -> {
                fired.add("idle:" + EventMask.toString(mask) + (center.isShutdown() ? ":shutdown" : ""));
                // An owner failing its work queues a task: it must still run.
                executeDuringShutdown.set(center.execute(() -> queuedDuringShutdownRan.set(true)));
            });
            center.createFileEvent(paused.pollable(), EventMask.NONE,
                    mask -> fired.add("paused:" + EventMask.toString(mask) + (center.isShutdown() ? ":shutdown" : "")));
            center.createFileEvent(cancelled.pollable(), EventMask.READABLE, mask -> fired.add("cancelled")).cancel();
            center.createTimeEvent(TimeUnit.HOURS.toNanos(1), () -> timerRan.set(true));
        }, WAIT);

        // Tasks queued right before the stop run, whether before or during the shutdown.
        AtomicInteger queuedBeforeStop = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            assertTrue(center.execute(queuedBeforeStop::incrementAndGet));
        }
        assertTrue(worker.stop(10_000), "the worker must stop");

        List<String> firedList = new ArrayList<>(fired);
        firedList.sort(null);
        assertEquals(List.of("idle:rw:shutdown", "paused:rw:shutdown"), firedList,
                "every live file event fires exactly once with ALL; cancelled ones never");
        assertTrue(executeDuringShutdown.get(), "execute() on the loop during shutdown accepts the task");
        assertTrue(queuedDuringShutdownRan.get(), "a task queued by a handler during shutdown runs");
        assertEquals(100, queuedBeforeStop.get());
        assertFalse(timerRan.get(), "pending time events are dropped");
        assertTrue(center.isShutdown());
        assertFalse(worker.isRunning());
        AtomicBoolean ranAfter = new AtomicBoolean();
        assertFalse(center.execute(() -> ranAfter.set(true)), "execute() after shutdown returns false");
        assertFalse(ranAfter.get());
    }

    @Test
    void executeRacingAShutdownEitherRunsTheTaskOrReturnsFalse() throws Exception {
        // Every task execute() accepted must run once, even when the loop is stopping meanwhile;
        // a refused one never runs. Repeated to meet the race in many interleavings.
        for (int round = 0; round < 100; round++) {
            EventLoopWorker worker = new EventLoopWorker(0, "race-" + factory().name() + "-" + round,
                    factory().create());
            worker.start();
            int producers = 3;
            int perProducer = 50_000;
            AtomicIntegerArray ran = new AtomicIntegerArray(producers * perProducer);
            AtomicIntegerArray accepted = new AtomicIntegerArray(producers * perProducer);
            CountDownLatch started = new CountDownLatch(producers);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                Thread t = new Thread(() -> {
                    started.countDown();
                    for (int i = 0; i < perProducer; i++) {
                        int id = base + i;
                        if (worker.center().execute(() -> ran.incrementAndGet(id))) {
                            accepted.set(id, 1);
                        } else {
                            break;
                        }
                    }
                }, "race-producer-" + p);
                t.start();
                threads.add(t);
            }
            assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(worker.stop(10_000), "round " + round + ": the worker must stop");
            for (Thread t : threads) {
                t.join(WAIT.toMillis());
                assertFalse(t.isAlive());
            }
            for (int id = 0; id < ran.length(); id++) {
                if (accepted.get(id) != ran.get(id)) {
                    throw new AssertionError("round " + round + ": task " + id + " accepted=" + accepted.get(id)
                            + " but ran " + ran.get(id) + " times");
                }
            }
        }
    }

    // ---- threading ----

    @Test
    void loopOnlyMethodsThrowIllegalStateFromOtherThreads() throws Exception {
        EventLoopWorker worker = startWorker("threading-" + factory().name());
        DefaultEventCenter center = worker.defaultCenter();
        TestSignal signal = signal();
        TimeEvent timer = EventLoops.callAndWait(center, () -> center.createTimeEvent(TimeUnit.HOURS.toNanos(1), () -> { }), WAIT);
        FileEvent event = EventLoops.callAndWait(center, () -> center.createFileEvent(signal.pollable(),
                EventMask.NONE, mask -> { }), WAIT);

        assertThrows(IllegalStateException.class, () -> center.createTimeEvent(1, () -> { }));
        assertThrows(IllegalStateException.class, () -> center.createFileEvent(signal.pollable(), EventMask.READABLE,
                mask -> { }));
        assertThrows(IllegalStateException.class, timer::cancel);
        assertThrows(IllegalStateException.class, () -> event.setMask(EventMask.READABLE));
        assertThrows(IllegalStateException.class, event::cancel);
        assertThrows(IllegalStateException.class, () -> center.processEvents(0));
        assertThrows(IllegalStateException.class, center::shutdownNow);
        assertThrows(IllegalStateException.class, center::bindToCurrentThread);
        assertTrue(EventLoops.callAndWait(center, () -> {
            assertThrows(IllegalStateException.class, () -> worker.stop(1), "a worker cannot stop itself");
            return true;
        }, WAIT));

        // The any-thread methods work, and the loop is unharmed.
        assertFalse(center.inEventLoop());
        assertTrue(EventLoops.callAndWait(center, center::inEventLoop, WAIT));
        assertFalse(center.isShutdown());
        assertTrue(center.name().startsWith("threading-"));
        assertTrue(EventLoops.callAndWait(center, timer::cancel, WAIT));
        EventLoops.runAndWait(center, event::cancel, WAIT);
        assertTrue(worker.isRunning());
    }

    @Test
    void workerThreadsEndAfterStop() throws Exception {
        String prefix = "ferry-test-" + UUID.randomUUID() + "-";
        List<EventLoopWorker> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EventLoopWorker w = new EventLoopWorker(i, prefix + i, factory().create());
            workers.add(w);
            cleanup.push(() -> w.stop(10_000));
        }
        assertEquals(0, liveThreads(prefix));
        for (EventLoopWorker w : workers) {
            w.start();
            assertTrue(w.isRunning());
        }
        assertEquals(3, liveThreads(prefix));
        for (EventLoopWorker w : workers) {
            assertTrue(w.stop(10_000));
            assertFalse(w.isRunning());
            assertFalse(w.thread().isAlive());
        }
        assertEquals(0, liveThreads(prefix), "worker threads left after stop");
    }

    @Test
    void stopIsBoundedWhenAHandlerBlocksTheLoop() throws Exception {
        EventLoopWorker worker = new EventLoopWorker(0, "blocked-" + factory().name(), factory().create());
        worker.start();
        CountDownLatch release = new CountDownLatch(1);
        cleanup.push(() -> {
            release.countDown();
            assertTrue(worker.stop(10_000));
        });
        CountDownLatch blocking = new CountDownLatch(1);
        assertTrue(worker.center().execute(() -> {
            blocking.countDown();
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(blocking.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(worker.stop(100), "stop() must give up (and say so) while a handler blocks the loop");
        release.countDown();
        EventLoops.awaitCondition(() -> !worker.thread().isAlive(), WAIT,
                "the worker ending once the handler returned (its stop was already requested)");
        assertFalse(worker.isRunning());
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }
}
