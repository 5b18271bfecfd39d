package io.ferry.core.event;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.FileEventHandler;
import io.ferry.api.event.Pollable;
import io.ferry.api.event.TimeEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ceph's EventCenter over one {@link EventDriver}. One thread calls {@link #processEvents(long)}
 * in a loop (see {@link EventLoopWorker}); that thread is bound on the first call.
 *
 * <p>Wake-up protocol: before the loop blocks in the driver it publishes {@code SLEEPING} and
 * re-checks the external queue; a producer that finds {@code SLEEPING} swaps in {@code AWAKE} and
 * wakes the driver. A producer that queues while the loop is awake costs no system call.
 *
 * <p>Poll before sleep (off unless {@link #pollBeforeSleep(long)} set a limit): before blocking,
 * the loop may poll the driver without waiting, and the external queue, for a while; events that
 * come meanwhile are handled without the loop ever sleeping, so their producers wake nobody. How
 * long is a {@link PollWindow}, adapted to how soon events come; a sleep ended by a time event
 * counts as not woken.
 */
public final class DefaultEventCenter implements EventCenter {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultEventCenter.class);
    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    private final String name;
    private final EventDriver driver;
    /** External events: many producers, the loop the only consumer; no allocation per task. */
    private final MpscUnboundedXaddArrayQueue<Runnable> external = new MpscUnboundedXaddArrayQueue<>(1024);
    /**
     * Serialises the consumers of {@link #external} once the loop has finished: its final drain,
     * then producers that queued too late sorting out whether their task ran.
     */
    private final Object lateLock = new Object();
    /** Tasks queued after the final drain, by count, until their producers collect them. */
    private final Map<Runnable, Integer> rejectedLate = new IdentityHashMap<>();
    /** Set by the loop just before its final drain. */
    private volatile boolean terminated;
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    /** The longest poll before a sleep, 0 for none; any thread writes, the loop reads once per turn. */
    private volatile long pollLimitNanos;
    /** How long to poll next; loop thread only. */
    private final PollWindow pollWindow = new PollWindow();
    /**
     * Set by {@link #wakeup()}: ends a poll before sleep, which would otherwise drain the driver's
     * wake-up unseen; cleared by the poll that sees it. Any thread sets, the loop clears.
     */
    private volatile boolean wakeupRequested;
    /** Polls that met an event, and polls that did not (the loop slept after them); loop thread writes. */
    private volatile long pollsCaught;
    private volatile long pollsMissed;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Map<Pollable, Registration> fileEvents = new IdentityHashMap<>();
    private final EventDriver.ReadyHandler readyHandler = this::onReady;
    private final LongAdder handlerFailures = new LongAdder();
    private volatile Thread owner;
    private volatile boolean shutdown;
    private long timerSeq;
    private int cancelledTimers;
    private long eventsProcessed;

    public DefaultEventCenter(String name, EventDriver driver) {
        this.name = name;
        this.driver = driver;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventDriver driver() {
        return driver;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == owner;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** Binds the calling thread as the center's thread; called once by the worker thread. */
    public void bindToCurrentThread() {
        if (owner != null && owner != Thread.currentThread()) {
            throw new IllegalStateException(name + " is already run by " + owner.getName());
        }
        owner = Thread.currentThread();
    }

    /** @return events processed so far (file events fired, timers run, external tasks run). */
    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** @return handler exceptions caught so far. */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    /** @return registered file events (center thread only; approximate from others). */
    public int fileEventCount() {
        return fileEvents.size();
    }

    /** @return pending time events, cancelled ones included until purged. */
    public int timeEventCount() {
        return timers.size() - cancelledTimers;
    }

    @Override
    public FileEvent createFileEvent(Pollable pollable, int mask, FileEventHandler handler) throws IOException {
        checkThread();
        if (shutdown) {
            throw new IOException(name + " is shut down");
        }
        if (fileEvents.containsKey(pollable)) {
            throw new IllegalStateException(pollable + " already has a file event on " + name);
        }
        Registration reg = new Registration(pollable, mask, handler);
        driver.register(pollable, mask, reg);
        fileEvents.put(pollable, reg);
        return reg;
    }

    /**
     * Cancels the file event of {@code pollable} if there is one; called by sockets before they
     * close their descriptor, so a reused descriptor number never meets a stale registration.
     */
    @Override
    public void forget(Pollable pollable) {
        Registration reg = fileEvents.get(pollable);
        if (reg != null) {
            reg.cancel();
        }
    }

    @Override
    public TimeEvent createTimeEvent(long delayNanos, Runnable task) {
        checkThread();
        Timer t = new Timer(System.nanoTime() + Math.max(0, delayNanos), timerSeq++, task);
        if (!shutdown) {
            timers.add(t);
        }
        return t;
    }

    @Override
    public boolean execute(Runnable task) {
        if (shutdown && !inEventLoop()) {
            return false;
        }
        external.offer(task);
        if (inEventLoop()) {
            return true;
        }
        if (terminated) {
            return ranInFinalDrain(task);
        }
        // Not terminated when read after our offer: the loop's final drain, which starts after it
        // sets the flag, is bound to see the task. A plain read first: while the loop is awake (the busy case) no atomic write is needed.
        if (wakeState.get() == SLEEPING && wakeState.getAndSet(AWAKE) == SLEEPING) {
            driver.wakeup();
        }
        return true;
    }

    /**
     * One turn of the loop: wait for file events (no longer than the next timer or
     * {@code maxWaitNanos}; negative waits until an event, a timer or {@link #execute}), then
     * run due timers and queued external events.
     *
     * @return the number of events processed in this turn
     */
    public int processEvents(long maxWaitNanos) throws IOException {
        checkThread();
        long before = eventsProcessed;
        long timeout = maxWaitNanos < 0 ? Long.MAX_VALUE : maxWaitNanos;
        Timer next = nextTimer();
        if (next != null) {
            timeout = Math.max(0, Math.min(timeout, next.deadline - System.nanoTime()));
        }
        long pollLimit = pollLimitNanos;
        if (pollLimit > 0 && timeout > 0 && external.isEmpty()) {
            long window = Math.min(pollWindow.next(pollLimit), timeout);
            if (window > 0) {
                if (pollFor(window)) {
                    return finishTurn(before);
                }
                if (timeout != Long.MAX_VALUE) {
                    timeout = Math.max(0, timeout - window);
                }
            }
        }
        long sleptAt = pollLimit > 0 && timeout > 0 ? System.nanoTime() : 0;
        if (timeout > 0) {
            wakeState.set(SLEEPING);
            if (!external.isEmpty()) {
                timeout = 0;
            }
        }
        try {
            driver.poll(readyHandler, timeout == Long.MAX_VALUE ? -1 : timeout);
        } finally {
            // Ordered store suffices: a producer that still reads SLEEPING only adds a spare wake-up.
            wakeState.lazySet(AWAKE);
        }
        if (sleptAt != 0) {
            pollWindow.afterSleep(pollLimit, System.nanoTime() - sleptAt, eventsProcessed != before || !external.isEmpty());
        }
        return finishTurn(before);
    }

    /** The end of a turn: due timers, queued external events. @return events processed since {@code before} */
    private int finishTurn(long before) {
        runDueTimers();
        runQueuedExternal();
        return (int) (eventsProcessed - before);
    }

    /**
     * Makes the loop return from {@link #processEvents(long)} soon, whether it sleeps in the driver
     * or polls before sleeping (for example so that its thread notices a stop request). Any thread.
     */
    public void wakeup() {
        wakeupRequested = true;
        driver.wakeup();
    }

    /**
     * Lets the loop poll for up to {@code limitNanos} before it sleeps (see the class comment); 0
     * turns polling off. Any thread; the loop applies it on its next turn.
     */
    public void pollBeforeSleep(long limitNanos) {
        if (limitNanos < 0) {
            throw new IllegalArgumentException("poll limit must not be negative: " + limitNanos);
        }
        pollLimitNanos = limitNanos;
    }

    /** @return the poll limit, 0 when the loop sleeps at once. */
    public long pollBeforeSleepNanos() {
        return pollLimitNanos;
    }

    /** @return polls before a sleep that met an event (the loop did not sleep); any thread, approximate. */
    public long pollsCaught() {
        return pollsCaught;
    }

    /** @return polls before a sleep that met none (the loop slept after them); any thread, approximate. */
    public long pollsMissed() {
        return pollsMissed;
    }

    /** Polls the driver and the external queue without blocking for up to {@code windowNanos}. @return true if something came */
    private boolean pollFor(long windowNanos) throws IOException {
        long deadline = System.nanoTime() + windowNanos;
        do {
            if (driver.poll(readyHandler, 0) > 0 || !external.isEmpty()) {
                pollsCaught++;
                return true;
            }
            if (wakeupRequested) {
                // read after the poll that may have drained the driver's wake-up: wakeup() sets the
                // flag before it writes, so a drained wake-up is always seen here. Consumed only
                // here; a wake-up that ended a sleep instead leaves it for one early return later.
                wakeupRequested = false;
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        pollsMissed++;
        return false;
    }

    /**
     * Shuts the center down on its own thread: runs queued external events, fires every still
     * active file event once with {@link EventMask#ALL} so its owner sees the failure and cleans
     * up, cancels what remains, drops timers, closes the driver.
     */
    public void shutdownNow() {
        checkThread();
        shutdown = true;
        runExternal();
        List<Registration> live = new ArrayList<>(fileEvents.values());
        for (Registration reg : live) {
            if (reg.active) {
                fire(reg, EventMask.ALL);
            }
        }
        runExternal();
        for (Registration reg : new ArrayList<>(fileEvents.values())) {
            reg.cancel();
        }
        timers.clear();
        cancelledTimers = 0;
        synchronized (lateLock) {
            terminated = true;
            runExternal();
        }
        driver.close();
    }

    /**
     * For a producer that found the loop terminated after queuing: the final drain either ran the
     * task or left it queued. Sweeps what is left (one consumer at a time, under the lock) and
     * answers whether {@code task} was among the tasks that ran.
     */
    private boolean ranInFinalDrain(Runnable task) {
        synchronized (lateLock) {
            Runnable late;
            while ((late = external.poll()) != null) {
                rejectedLate.merge(late, 1, Integer::sum);
            }
            Integer count = rejectedLate.get(task);
            if (count == null) {
                return true;
            }
            if (count == 1) {
                rejectedLate.remove(task);
            } else {
                rejectedLate.put(task, count - 1);
            }
            return false;
        }
    }

    private void onReady(Object attachment, int readyMask) {
        Registration reg = (Registration) attachment;
        if (reg.active) {
            fire(reg, readyMask);
        }
    }

    private void fire(Registration reg, int readyMask) {
        eventsProcessed++;
        try {
            reg.handler.onFileEvent(readyMask);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            handlerFailures.increment();
            LOG.error("{}: file event handler for {} failed; cancelling its event", name, reg.pollable, e);
            reg.cancel();
        }
    }

    private Timer nextTimer() {
        Timer t = timers.peek();
        while (t != null && t.cancelled) {
            timers.poll();
            cancelledTimers--;
            t = timers.peek();
        }
        return t;
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = nextTimer()) != null && t.deadline - now <= 0) {
            timers.poll();
            t.fired = true;
            eventsProcessed++;
            run(t.task, "time event");
        }
    }

    /**
     * Runs the external events that were queued when this turn started, not the ones they queue
     * in turn: a task that re-schedules itself with {@link #execute} yields to file and time
     * events instead of starving them. What is left makes the next wait a non-blocking poll.
     */
    private void runQueuedExternal() {
        int budget = external.size();
        Runnable task;
        while (budget-- > 0 && (task = external.poll()) != null) {
            eventsProcessed++;
            run(task, "external event");
        }
    }

    /** Runs external events until the queue is empty; for shutdown only. */
    private void runExternal() {
        Runnable task;
        while ((task = external.poll()) != null) {
            eventsProcessed++;
            run(task, "external event");
        }
    }

    private void run(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            handlerFailures.increment();
            LOG.error("{}: {} {} failed", name, what, task, e);
        }
    }

    private void checkThread() {
        Thread t = owner;
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException("only " + t.getName() + " may call this on " + name
                    + ", not " + Thread.currentThread().getName());
        }
    }

    @Override
    public String toString() {
        return "EventCenter[" + name + ", " + driver.name() + "]";
    }

    private final class Registration implements FileEvent {
        final Pollable pollable;
        final FileEventHandler handler;
        int mask;
        boolean active = true;

        Registration(Pollable pollable, int mask, FileEventHandler handler) {
            this.pollable = pollable;
            this.mask = mask;
            this.handler = handler;
        }

        @Override
        public int mask() {
            return mask;
        }

        @Override
        public void setMask(int newMask) {
            checkThread();
            if (!active || newMask == mask) {
                return;
            }
            try {
                driver.modify(pollable, newMask);
                mask = newMask;
            } catch (IOException e) {
                LOG.warn("{}: cannot change events of {} to {}: {}; cancelling", name, pollable,
                        EventMask.toString(newMask), e.getMessage());
                cancel();
            }
        }

        @Override
        public void cancel() {
            checkThread();
            if (active) {
                active = false;
                fileEvents.remove(pollable, this);
                driver.deregister(pollable);
            }
        }

        @Override
        public boolean isActive() {
            return active;
        }
    }

    private final class Timer implements TimeEvent, Comparable<Timer> {
        final long deadline;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean fired;

        Timer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public boolean cancel() {
            checkThread();
            if (cancelled || fired || shutdown) {
                return false;
            }
            cancelled = true;
            cancelledTimers++;
            if (cancelledTimers > 1024 && cancelledTimers > timers.size() / 2) {
                timers.removeIf(x -> x.cancelled);
                cancelledTimers = 0;
            }
            return true;
        }

        @Override
        public int compareTo(Timer o) {
            long d = deadline - o.deadline;
            if (d != 0) {
                return d < 0 ? -1 : 1;
            }
            return Long.compare(seq, o.seq);
        }

        @Override
        public String toString() {
            return "TimeEvent[in " + TimeUnit.NANOSECONDS.toMicros(deadline - System.nanoTime()) + " us]";
        }
    }
}
