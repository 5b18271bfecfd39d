package io.ferry.core.epoll;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.Pollable;
import io.ferry.api.net.Errno;
import io.ferry.core.jna.EpollEventDescriptor;
import io.ferry.core.jna.LibC;
import io.ferry.core.jna.NativeBuffers;
import io.ferry.core.jni.NativeIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Linux {@code epoll(7)} {@link EventDriver}, level-triggered, over JNA direct calls: one
 * epoll descriptor, plus an {@code eventfd} registered for {@link #wakeup()}. It waits on any
 * pollable with a file descriptor: sockets, eventfds, timerfds, AF_XDP sockets.
 *
 * <p><b>Threading:</b> one event-loop thread owns the driver and is the only one that may call
 * {@link #register}, {@link #modify}, {@link #deregister}, {@link #poll} and {@link #close}.
 * {@link #wakeup()} may be called from any thread at any time, also while {@link #poll} runs and
 * after {@link #close()} (then it does nothing and never throws). The constructor may run on any
 * thread, since starting the owner thread publishes the driver to it.
 *
 * <p><b>Readiness:</b> interest {@link EventMask#READABLE} waits for {@code EPOLLIN} and
 * {@code EPOLLRDHUP}, {@link EventMask#WRITABLE} for {@code EPOLLOUT}. {@code EPOLLIN},
 * {@code EPOLLRDHUP}, {@code EPOLLHUP} and {@code EPOLLERR} are reported as {@code READABLE};
 * {@code EPOLLOUT}, {@code EPOLLHUP} and {@code EPOLLERR} as {@code WRITABLE}: a hang-up or error
 * is reported as both, so the owner's next read or write sees it. A registration with interest
 * {@link EventMask#NONE} stays in the kernel but edge-triggered with no events, so a descriptor
 * that hangs up while paused does not make every poll return; its readiness is reported once the
 * interest is set again. {@link EventMask#EDGE_TRIGGERED} in an interest registers the
 * descriptor with {@code EPOLLET}: the kernel then reports it again only when new data or new
 * space arrives (and once more on every {@link #modify} that changes the interest), and stops
 * re-checking every reported descriptor on each wait as level-triggered registrations make it do.
 * Such a registration's ready mask carries {@link EventMask#HANGUP} with {@code EPOLLRDHUP},
 * {@code EPOLLHUP} or {@code EPOLLERR}.
 *
 * <p><b>System calls</b> on the loop's path (epoll_wait, epoll_ctl, timerfd_settime, the wake-up
 * write) go through {@link NativeIo}: Ferry's JNI library where it loads, else JNA.
 *
 * <p><b>Identity:</b> a pollable is identified by its descriptor number, as in epoll. Deregister
 * before closing the descriptor (the posix sockets do). Each registration carries a generation in
 * the event's data, so an event already fetched for a descriptor that was deregistered (and
 * perhaps reused by a new registration) in the same {@link #poll} is dropped, not misdelivered.
 *
 * <p><b>Timeouts:</b> a poll with a timeout blocks in {@code epoll_wait(-1)} and is ended by a
 * {@code timerfd} (edge-triggered, never read), as Netty's epoll loop does: the kernel then arms no
 * hrtimer per wait, and the timerfd is re-armed only when a poll needs an earlier wake-up than the
 * one already set (or that one passed). A poll may therefore return early, at a deadline an earlier
 * poll asked for, with nothing to report; callers loop anyway. Where no timerfd can be created the
 * timeout goes to {@code epoll_wait} (rounded up to milliseconds) as before.
 *
 * <p><b>Allocation:</b> the event array, the control struct and the wake-up words are allocated
 * once; {@link #poll} and {@link #wakeup()} allocate nothing. The descriptor table grows when a
 * descriptor number exceeds it.
 *
 * <p><b>Errors:</b> registration methods throw {@link IOException} with the kernel's reason;
 * {@link #poll} throws only if {@code epoll_wait} itself fails (not for {@code EINTR}: an
 * interrupted wait returns 0 events).
 */
public final class EpollDriver implements EventDriver {
    /** The driver name, also the {@code ferry.driver} service property value. */
    public static final String NAME = "epoll";
    /** Events fetched by one {@code epoll_wait}; more ready descriptors wait for the next poll. */
    public static final int DEFAULT_MAX_EVENTS = 512;

    private static final int INITIAL_TABLE_SIZE = 64;
    /** Longest timerfd setting; a longer wait just returns early once and is asked again. */
    private static final long MAX_TIMER_NANOS = 3_600_000_000_000L;
    /** Generation of the wake-up eventfd's registration; user registrations never get it. */
    private static final int WAKEUP_GENERATION = 0;
    private static final int READABLE_EVENTS = LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR;
    private static final int WRITABLE_EVENTS = LibC.EPOLLOUT | LibC.EPOLLHUP | LibC.EPOLLERR;
    private static final int HANGUP_EVENTS = LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR;

    private final int epfd;
    private final int wakeFd;
    /** Ends timed waits; -1 if the kernel refused one (then epoll_wait gets the timeout). */
    private final int timerFd;
    /** One struct itimerspec for timerfd_settime; owner thread only. */
    private final ByteBuffer timerSpec;
    private final long timerSpecAddress;
    /** System.nanoTime() at which the timerfd fires, while {@link #timerArmed}; owner thread only. */
    private long armedDeadline;
    /** Set when the timerfd is armed, cleared when its expiry is seen; owner thread only. */
    private boolean timerArmed;
    private final int maxEvents;
    private final ByteBuffer events;
    private final long eventsAddress;
    /** One epoll_event for epoll_ctl; owner thread only. */
    private final ByteBuffer ctlEvent;
    private final long ctlEventAddress;
    /** Where draining the eventfd reads to; owner thread only. Held so the memory stays alive. */
    /** The value 1 that wakeup() writes; never modified, so any thread may pass it. Held so the memory stays alive. */
    private final ByteBuffer oneWord;
    private final long oneAddress;

    private Object[] attachments = new Object[INITIAL_TABLE_SIZE];
    private int[] interests = new int[INITIAL_TABLE_SIZE];
    private int[] generations = new int[INITIAL_TABLE_SIZE];
    private int nextGeneration = WAKEUP_GENERATION + 1;
    private int registered;

    private volatile boolean closed;
    private final AtomicInteger wakeupsInFlight = new AtomicInteger();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();

    /** A driver fetching at most {@value #DEFAULT_MAX_EVENTS} events per poll. */
    public EpollDriver() throws IOException {
        this(DEFAULT_MAX_EVENTS);
    }

    /**
     * @param maxEvents events fetched per {@code epoll_wait}, at least 1
     * @throws IOException if epoll is not available here or the kernel refuses (out of descriptors)
     */
    public EpollDriver(int maxEvents) throws IOException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
        }
        if (!LibC.isAvailable()) {
            throw new IOException("epoll is not available: " + LibC.unavailableReason());
        }
        this.maxEvents = maxEvents;
        this.events = NativeBuffers.allocate(maxEvents * EpollEventDescriptor.SIZE);
        this.eventsAddress = NativeBuffers.address(events);
        this.ctlEvent = NativeBuffers.allocate(EpollEventDescriptor.SIZE);
        this.ctlEventAddress = NativeBuffers.address(ctlEvent);
        this.oneWord = NativeBuffers.allocate(Long.BYTES).putLong(0, 1L);
        this.oneAddress = NativeBuffers.address(oneWord);

        int ep = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw failure("epoll_create1", LibC.errno());
        }
        int ev = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (ev < 0) {
            int errno = LibC.errno();
            LibC.close(ep);
            throw failure("eventfd", errno);
        }
        // Edge-triggered: every write is a new edge, so the loop never reads the counter. Reading
        // it would race a producer between clearing wakeupPending and the read, swallowing that
        // producer's write while its flag stays set: every later wake-up would then be skipped.
        int added = ctl(ep, LibC.EPOLL_CTL_ADD, ev, LibC.EPOLLIN | LibC.EPOLLET, WAKEUP_GENERATION);
        if (added < 0) {
            int errno = -added;
            LibC.close(ev);
            LibC.close(ep);
            throw failure("epoll_ctl(ADD, wake-up eventfd)", errno);
        }
        this.epfd = ep;
        this.wakeFd = ev;
        this.timerSpec = NativeBuffers.allocate(LibC.ITIMERSPEC_SIZE);
        this.timerSpecAddress = NativeBuffers.address(timerSpec);
        int tf = LibC.timerfd_create(LibC.CLOCK_MONOTONIC, LibC.TFD_NONBLOCK | LibC.TFD_CLOEXEC);
        if (tf >= 0 && ctl(ep, LibC.EPOLL_CTL_ADD, tf, LibC.EPOLLIN | LibC.EPOLLET, WAKEUP_GENERATION) < 0) {
            LibC.close(tf);
            tf = -1;
        }
        this.timerFd = tf;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return true for any pollable with a file descriptor. */
    @Override
    public boolean accepts(Pollable pollable) {
        return pollable != null && pollable.fd() >= 0;
    }

    @Override
    public void register(Pollable pollable, int mask, Object attachment) throws IOException {
        Objects.requireNonNull(attachment, "attachment");
        checkOpen();
        int fd = pollable.fd();
        if (fd < 0) {
            throw new IOException("the epoll driver waits on file descriptors; " + pollable + " has none");
        }
        ensureCapacity(fd);
        int generation = nextGeneration++;
        if (nextGeneration == WAKEUP_GENERATION) {
            nextGeneration++;
        }
        int added = ctl(epfd, LibC.EPOLL_CTL_ADD, fd, epollEvents(mask), generation);
        if (added < 0) {
            int errno = -added;
            if (errno == LibC.EEXIST) {
                throw new IOException("fd " + fd + " (" + pollable + ") is already registered with this epoll driver");
            }
            throw failure("epoll_ctl(ADD, fd " + fd + ")", errno);
        }
        if (attachments[fd] == null) {
            registered++;
        }
        attachments[fd] = attachment;
        interests[fd] = mask;
        generations[fd] = generation;
    }

    @Override
    public void modify(Pollable pollable, int mask) throws IOException {
        checkOpen();
        int fd = pollable.fd();
        if (fd < 0 || fd >= attachments.length || attachments[fd] == null) {
            throw new IOException(pollable + " is not registered with this epoll driver");
        }
        if (interests[fd] == mask) {
            return;
        }
        int modified = ctl(epfd, LibC.EPOLL_CTL_MOD, fd, epollEvents(mask), generations[fd]);
        if (modified < 0) {
            int errno = -modified;
            if (errno == LibC.ENOENT || errno == Errno.EBADF) {
                // The descriptor was closed without deregistering: the kernel already dropped it.
                clear(fd);
            }
            throw failure("epoll_ctl(MOD, fd " + fd + ")", errno);
        }
        interests[fd] = mask;
    }

    @Override
    public void deregister(Pollable pollable) {
        if (pollable == null) {
            return;
        }
        int fd = pollable.fd();
        if (fd < 0 || fd >= attachments.length || attachments[fd] == null) {
            return;
        }
        clear(fd);
        if (!closed) {
            // ENOENT or EBADF mean the descriptor was closed first; the kernel dropped it then.
            NativeIo.epollCtl(epfd, LibC.EPOLL_CTL_DEL, fd, 0L);
        }
    }

    @Override
    public int poll(ReadyHandler handler, long timeoutNanos) throws IOException {
        checkOpen();
        int waitMillis = timeoutNanos > 0 && armTimer(timeoutNanos) ? -1 : toTimeoutMillis(timeoutNanos);
        int n = NativeIo.epollWait(epfd, eventsAddress, maxEvents, waitMillis);
        if (n < 0) {
            if (n == -Errno.EINTR) {
                return 0;
            }
            throw failure("epoll_wait", -n);
        }
        int handled = 0;
        for (int i = 0; i < n; i++) {
            int at = i * EpollEventDescriptor.SIZE;
            int ready = events.getInt(at + EpollEventDescriptor.EVENTS_OFFSET);
            long data = events.getLong(at + EpollEventDescriptor.DATA_OFFSET);
            int fd = (int) data;
            int generation = (int) (data >>> 32);
            if (generation == WAKEUP_GENERATION && fd == wakeFd) {
                drainWakeups();
                continue;
            }
            if (generation == WAKEUP_GENERATION && fd == timerFd) {
                timerArmed = false;
                continue;
            }
            Object[] table = attachments;
            if (fd < 0 || fd >= table.length) {
                continue;
            }
            Object attachment = table[fd];
            if (attachment == null || generations[fd] != generation || (interests[fd] & EventMask.ALL) == EventMask.NONE) {
                continue;
            }
            int mask = readyMask(ready);
            if ((interests[fd] & EventMask.EDGE_TRIGGERED) != 0 && (ready & HANGUP_EVENTS) != 0) {
                // edge-triggered: the end of stream behind the queued data gets no event of its own
                mask |= EventMask.HANGUP;
            }
            if (mask != EventMask.NONE) {
                handled++;
                handler.ready(attachment, mask);
            }
        }
        return handled;
    }

    /**
     * Makes a current or the next {@link #poll} return. Coalesced: while a wake-up is pending
     * and not yet drained by the loop, further calls cost no system call. Any thread; a no-op
     * after {@link #close()}.
     */
    @Override
    public void wakeup() {
        wakeupsInFlight.incrementAndGet();
        try {
            // Dekker with close(): either close() sees this wake-up in flight and waits, or this
            // sees closed and does not touch a descriptor number that may already be reused.
            if (closed || wakeupPending.get() || !wakeupPending.compareAndSet(false, true)) {
                return;
            }
            // The counter is never read (edge-triggered); it grows by at most one per loop turn
            // and cannot approach its 2^64 - 2 limit.
            NativeIo.write(wakeFd, oneAddress, Long.BYTES);
        } finally {
            wakeupsInFlight.decrementAndGet();
        }
    }

    /** Closes the epoll descriptor and the wake-up eventfd; registered pollables stay open. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (wakeupsInFlight.get() != 0) {
            Thread.onSpinWait();
        }
        LibC.close(wakeFd);
        if (timerFd >= 0) {
            LibC.close(timerFd);
        }
        LibC.close(epfd);
        Arrays.fill(attachments, null);
        registered = 0;
    }

    /** @return the number of registered pollables (owner thread). */
    public int registeredCount() {
        return registered;
    }

    /** @return the epoll descriptor, for diagnostics. */
    public int epollFd() {
        return epfd;
    }

    /** @return true once {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "EpollDriver[epfd " + epfd + ", " + registered + " registered" + (closed ? ", closed" : "") + "]";
    }

    /**
     * Converts a poll timeout to {@code epoll_wait}'s milliseconds: negative waits for ever (-1),
     * 0 does not wait, anything else is rounded up so that a short wait is never a busy spin.
     */
    static int toTimeoutMillis(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return -1;
        }
        long millis = timeoutNanos / 1_000_000L + (timeoutNanos % 1_000_000L == 0 ? 0 : 1);
        return millis > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) millis;
    }

    /**
     * Makes sure the timerfd fires no later than {@code timeoutNanos} from now: keeps a wake-up
     * already set between now and that deadline, else sets it (one system call).
     *
     * @return false if there is no timerfd or setting it failed (the caller passes the timeout to
     *     epoll_wait instead)
     */
    private boolean armTimer(long timeoutNanos) {
        if (timerFd < 0) {
            return false;
        }
        timeoutNanos = Math.min(timeoutNanos, MAX_TIMER_NANOS);
        long now = System.nanoTime();
        long deadline = now + timeoutNanos;
        if (timerArmed && armedDeadline - now > 0 && armedDeadline - deadline <= 0) {
            return true;
        }
        timerSpec.putLong(LibC.ITIMERSPEC_VALUE_SEC_OFFSET, timeoutNanos / 1_000_000_000L);
        timerSpec.putLong(LibC.ITIMERSPEC_VALUE_NSEC_OFFSET, timeoutNanos % 1_000_000_000L);
        if (NativeIo.timerfdSettime(timerFd, 0, timerSpecAddress, 0L) < 0) {
            timerArmed = false;
            return false;
        }
        armedDeadline = deadline;
        timerArmed = true;
        return true;
    }

    /** Maps an {@link EventMask} interest (with {@link EventMask#EDGE_TRIGGERED}) to epoll events. */
    static int epollEvents(int mask) {
        if ((mask & EventMask.ALL) == EventMask.NONE) {
            return LibC.EPOLLET;
        }
        int events = (mask & EventMask.EDGE_TRIGGERED) != 0 ? LibC.EPOLLET : 0;
        if ((mask & EventMask.READABLE) != 0) {
            events |= LibC.EPOLLIN | LibC.EPOLLRDHUP;
        }
        if ((mask & EventMask.WRITABLE) != 0) {
            events |= LibC.EPOLLOUT;
        }
        return events;
    }

    /** Maps epoll's ready events to {@link EventMask} bits. */
    static int readyMask(int epollEvents) {
        int mask = EventMask.NONE;
        if ((epollEvents & READABLE_EVENTS) != 0) {
            mask |= EventMask.READABLE;
        }
        if ((epollEvents & WRITABLE_EVENTS) != 0) {
            mask |= EventMask.WRITABLE;
        }
        return mask;
    }

    /** @return 0 or -errno */
    private int ctl(int ep, int op, int fd, int epollEvents, int generation) {
        ctlEvent.putInt(EpollEventDescriptor.EVENTS_OFFSET, epollEvents);
        ctlEvent.putLong(EpollEventDescriptor.DATA_OFFSET, ((long) generation << 32) | (fd & 0xffffffffL));
        return NativeIo.epollCtl(ep, op, fd, ctlEventAddress);
    }

    /** The edge was consumed by epoll_wait; the next wakeup() must write again. */
    private void drainWakeups() {
        wakeupPending.set(false);
    }

    private void clear(int fd) {
        attachments[fd] = null;
        interests[fd] = EventMask.NONE;
        registered--;
    }

    private void ensureCapacity(int fd) {
        if (fd < attachments.length) {
            return;
        }
        int size = Math.max(fd + 1, attachments.length * 2);
        attachments = Arrays.copyOf(attachments, size);
        interests = Arrays.copyOf(interests, size);
        generations = Arrays.copyOf(generations, size);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("epoll driver is closed");
        }
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + " failed: " + LibC.describe(errno));
    }
}
