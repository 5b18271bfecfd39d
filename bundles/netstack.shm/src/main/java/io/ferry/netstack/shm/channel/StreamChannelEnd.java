package io.ferry.netstack.shm.channel;

import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.CLOSED_FIELD;
import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.ERROR_FIELD;
import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.INT;
import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.OUTPUT_SHUTDOWN_FIELD;
import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.SIDE_A;
import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.SIDE_B;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.ring.ByteRingConsumer;
import io.ferry.netstack.shm.ring.ByteRingProducer;
import io.ferry.netstack.shm.ring.OneToOneByteRing;
import io.ferry.unix.EventFd;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * One end of a full-duplex stream channel (TCP-like) laid out by {@link StreamChannelDescriptor}:
 * it produces into its outgoing ring and consumes from its incoming ring, and wakes and is woken
 * through four eventfds following OpenPerf's rule (an eventfd is written only when the peer has
 * announced that it is idle and nothing is pending; see {@link OneToOneByteRing}).
 *
 * <h2>Threading contract</h2>
 * Each end is used by <b>one thread at a time</b> — reads, writes, shutdown and close alike (a
 * reader thread and a writer thread on the same end must hand the end over through a
 * happens-before edge; the ring views keep plain fields). The two ends of a channel are
 * independent and normally live on different threads or in different processes. The statistics
 * getters may be called from any thread and are then only approximately current. Nothing here
 * blocks except the variants taking a timeout, and those wait at most that long.
 *
 * <h2>Return codes</h2>
 * Non-negative results are byte counts; failures are negative errno values, never exceptions:
 * <ul>
 *   <li>{@code -EAGAIN} — {@link #write(ByteBuffer)}: the outgoing ring is full;
 *       {@link #read(ByteBuffer)}: nothing to read yet; the timed variants: the timeout expired
 *       with nothing done (the {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO} convention).</li>
 *   <li>{@code 0} from a read — end of stream: the peer shut its output down (or closed) and
 *       every byte it wrote has been read. Also returned when {@code dst} has no room.</li>
 *   <li>{@code -EPIPE} — write after our own {@link #shutdownOutput()}, or after the peer closed
 *       its end.</li>
 *   <li>{@code -EPROTO} — the peer wrote an invalid index into shared memory
 *       ({@link OneToOneByteRing#RING_CORRUPT}); the channel is then broken: every later call
 *       returns {@code -EPROTO} until {@link #close()}, and this side's {@code ERROR} field says
 *       so. Close it.</li>
 *   <li>{@code -EBADF} — after {@link #close()}.</li>
 * </ul>
 *
 * <h2>Polling</h2>
 * {@link #readFd()} and {@link #writeFd()} are eventfds to poll for <em>readability</em>
 * ({@code POLLIN}/{@code EPOLLIN}), with edge-triggered discipline: {@code readFd} becomes
 * readable when data or end-of-stream arrives after a read returned {@code -EAGAIN} (or since the
 * end was created); {@code writeFd} becomes readable when at least 32 bytes of space free up after
 * a write returned {@code -EAGAIN} or filled the ring (the pre-emptive block: a non-blocking write
 * that fills the ring announces at once, so that a poller is woken when space frees). Read until
 * {@code -EAGAIN} or {@code 0} (write until {@code -EAGAIN}) before polling again: an fd that is
 * not readable does not mean there is nothing to read. The next read/write drains the eventfd;
 * the caller never reads or writes these fds itself.
 *
 * <h2>Blocking variants and busy-poll mode</h2>
 * {@link #read(ByteBuffer, long)} and {@link #write(ByteBuffer, long)} first spin for
 * {@link #spinNanos()} re-checking the ring (no system call), then announce "idle" and wait on the
 * eventfd in the kernel ({@link Unix#poll(int, int, long) ppoll(2)} for readability, bounded by
 * what is left of the timeout), then drain it and re-check the ring. A peer that shuts down or
 * closes rings the eventfd and so ends the wait; a peer that only raised its flags without
 * ringing (one that found the channel corrupt, or died mid-close) is noticed within 10 ms, the
 * longest single kernel wait. In <em>busy-poll</em> mode ({@link #setBusyPoll(boolean)}, off by
 * default) they spin on the ring until the timeout instead and never announce, so the peer never
 * makes a system call to wake this end: lowest latency, one core burnt while waiting. The
 * non-blocking calls behave the same in both modes.
 *
 * <h2>Allocation</h2>
 * Reads and writes allocate nothing and take no lock. Setup ({@link #attach}) and
 * {@link #toString()} may allocate.
 */
public final class StreamChannelEnd implements AutoCloseable {

    /** Default spin before a blocking call sleeps on its eventfd. */
    public static final long DEFAULT_SPIN_NANOS = 20_000;
    /**
     * Longest single kernel wait of a blocking call before it re-reads the peer's shutdown and
     * close flags: bounds how late a peer that set them without ringing (broken, or died
     * mid-close) is noticed. A ring ends the wait at once.
     */
    static final long PEER_CHECK_NANOS = 10_000_000;
    /** Pause after an unexpected {@code poll} failure, so that the wait never spins on errors. */
    static final long POLL_FAILURE_BACKOFF_NANOS = 1_000_000;

    private static final int EAGAIN = -Errno.EAGAIN;
    /**
     * The spin before a sleep reads the clock once per 16 checks of the ring, busy-poll once per
     * 256: a clock read costs about as much as a check, and reading it on every check delayed
     * noticing the peer's bytes by that much (it showed in profiles of the ping-pong benchmark).
     */
    private static final int SPIN_CLOCK_MASK = 0xF;
    private static final int BUSY_CLOCK_MASK = 0xFF;

    /**
     * The four eventfds of one end. {@code dataIn} and {@code spaceOut} are drained by this end
     * (they are {@link #readFd()} and {@link #writeFd()}); {@code dataOut} and {@code spaceIn} are
     * the peer's, written by this end only through the ring doorbell counters.
     *
     * @param dataIn rung by the peer when data (or end-of-stream) arrives in the incoming ring
     * @param spaceOut rung by the peer when space frees in the outgoing ring
     * @param dataOut rung by this end when it wrote into the outgoing ring (the peer's dataIn)
     * @param spaceIn rung by this end when it freed space in the incoming ring (the peer's spaceOut)
     */
    public record Doorbells(EventFd dataIn, EventFd spaceOut, EventFd dataOut, EventFd spaceIn) {
        public Doorbells {
            Objects.requireNonNull(dataIn, "dataIn");
            Objects.requireNonNull(spaceOut, "spaceOut");
            Objects.requireNonNull(dataOut, "dataOut");
            Objects.requireNonNull(spaceIn, "spaceIn");
        }
    }

    private final ByteBuffer region;
    private final int side;
    private final int ownState;
    private final int peerState;
    private final ByteRingProducer producer;
    private final ByteRingConsumer consumer;
    private final EventFd dataIn;
    private final EventFd spaceOut;
    private final EventFd dataOut;
    private final EventFd spaceIn;
    private final AutoCloseable owner;

    private boolean closed;
    private boolean broken;
    private boolean outputShutdown;
    private boolean peerOutputShutdownSeen;
    private boolean peerClosedSeen;
    /** CONSUMER_WAITING is up: drain dataIn before reading again. */
    private boolean readAnnounced;
    /** PRODUCER_WAITING is up: drain spaceOut before writing again. */
    private boolean writeAnnounced;
    private boolean busyPoll;
    private long spinNanos = DEFAULT_SPIN_NANOS;

    private long bytesWritten;
    private long bytesRead;
    private long dataWakeupOpportunities;
    private long dataWakeupFailures;
    private long spaceWakeupOpportunities;
    private long spaceWakeupFailures;
    private long sleeps;

    private StreamChannelEnd(ByteBuffer region, int side, Doorbells doorbells, AutoCloseable owner) {
        int capacity = StreamChannelDescriptor.readRingCapacity(region);
        this.region = region.duplicate().clear();
        this.side = side;
        this.ownState = StreamChannelDescriptor.sideStateOffset(side);
        this.peerState = StreamChannelDescriptor.sideStateOffset(side ^ 1);
        this.producer = OneToOneByteRing.producer(StreamChannelDescriptor.ringRegion(this.region, capacity, side));
        this.consumer = OneToOneByteRing.consumer(StreamChannelDescriptor.ringRegion(this.region, capacity, side ^ 1));
        this.dataIn = doorbells.dataIn();
        this.spaceOut = doorbells.spaceOut();
        this.dataOut = doorbells.dataOut();
        this.spaceIn = doorbells.spaceIn();
        this.owner = owner;
        // Idle from the start, so that readFd becomes readable when the first byte arrives.
        int n = consumer.announceWaitingForData();
        readAnnounced = n == 0;
    }

    /**
     * Attaches one end to a channel region formatted by
     * {@link StreamChannelDescriptor#initialize(ByteBuffer, int)}. Setup, not hot path.
     *
     * @param region the channel region (index 0 = channel header), direct, writable, 64-aligned;
     *     the end keeps its own duplicate
     * @param side {@link StreamChannelDescriptor#SIDE_A} or {@link StreamChannelDescriptor#SIDE_B}
     * @param doorbells this end's four eventfds (not closed by the end itself)
     * @param owner closed exactly once by {@link #close()}, after the end is done with the region
     *     and the eventfds: it unmaps the memory and closes the eventfds (or drops a reference to
     *     them, see {@link StreamChannelPair})
     * @throws IllegalArgumentException if the header or a ring's header or indexes are invalid
     */
    public static StreamChannelEnd attach(ByteBuffer region, int side, Doorbells doorbells, AutoCloseable owner) {
        Objects.requireNonNull(doorbells, "doorbells");
        Objects.requireNonNull(owner, "owner");
        if (side != SIDE_A && side != SIDE_B) {
            throw new IllegalArgumentException("side must be SIDE_A or SIDE_B: " + side);
        }
        return new StreamChannelEnd(region, side, doorbells, owner);
    }

    // ---- non-blocking I/O -------------------------------------------------------------------

    /**
     * Copies as many bytes of {@code src} as the outgoing ring takes (its writable space is
     * rounded down to 32 bytes), advancing {@code src}'s position, and wakes the peer if it is
     * idle. If the ring is full afterwards, announces it (see the class doc on polling).
     *
     * @return bytes written ({@code 0} if {@code src} is empty), {@code -EAGAIN} if the ring is
     *     full, {@code -EPIPE}, {@code -EPROTO} or {@code -EBADF}
     */
    public int write(ByteBuffer src) {
        return writeStep(src, true);
    }

    /**
     * Copies up to {@code dst.remaining()} bytes from the incoming ring to {@code dst}, advancing
     * its position, and wakes the peer if it is blocked on a full ring.
     *
     * @return bytes read; {@code 0} at end of stream (or if {@code dst} is full);
     *     {@code -EAGAIN} if nothing is there yet; {@code -EPROTO} or {@code -EBADF}
     */
    public int read(ByteBuffer dst) {
        return readStep(dst, true);
    }

    // ---- blocking I/O -----------------------------------------------------------------------

    /**
     * Writes all of {@code src}, waiting for space as needed, for at most {@code timeoutNanos}
     * in total.
     *
     * @param timeoutNanos at least 0 ({@code 0}: do what can be done without waiting;
     *     {@link Long#MAX_VALUE}: practically forever)
     * @return the bytes written if any (fewer than were remaining only on timeout or error, which
     *     the next call then reports); otherwise {@code 0} for an empty {@code src},
     *     {@code -EAGAIN} on timeout, {@code -EPIPE}, {@code -EPROTO} or {@code -EBADF}
     */
    public int write(ByteBuffer src, long timeoutNanos) {
        checkTimeout(timeoutNanos);
        // The clock is read only once a wait begins: a write that finds room costs no clock read.
        long start = 0;
        boolean waited = false;
        int total = 0;
        do {
            int n = writeStep(src, false);
            if (n > 0) {
                total += n;
                continue;
            }
            if (n == EAGAIN && !waited) {
                start = System.nanoTime();
                waited = true;
            }
            if (n != EAGAIN || !awaitSpace(1, start, timeoutNanos)) {
                return total > 0 ? total : n;
            }
        } while (src.hasRemaining());
        return total;
    }

    /**
     * Reads at least one byte (or the end of stream), waiting for at most {@code timeoutNanos}.
     *
     * @param timeoutNanos at least 0
     * @return bytes read; {@code 0} at end of stream (or if {@code dst} is full); {@code -EAGAIN}
     *     on timeout; {@code -EPROTO} or {@code -EBADF}
     */
    public int read(ByteBuffer dst, long timeoutNanos) {
        checkTimeout(timeoutNanos);
        // The clock is read only once a wait begins (see write).
        long start = 0;
        boolean waited = false;
        while (true) {
            int n = readStep(dst, false);
            if (n != EAGAIN) {
                return n;
            }
            if (!waited) {
                start = System.nanoTime();
                waited = true;
            }
            if (!awaitData(start, timeoutNanos)) {
                return n;
            }
        }
    }

    // ---- whole records (datagram framing) -----------------------------------------------------

    /** @return the most bytes one {@link #writeWhole} can take: the ring capacity rounded down to 32. */
    public int maxWholeWrite() {
        return producer.capacity() & ~31;
    }

    /**
     * Writes all of {@code src} in one publication or nothing (the peer never sees part of it),
     * waiting at most {@code timeoutNanos} for enough space. With {@code timeoutNanos} 0 and too
     * little space, announces the wait so that {@link #writeFd()} fires as space frees.
     *
     * @return the bytes written ({@code src.remaining()}); {@code -EMSGSIZE} if more than
     *     {@link #maxWholeWrite()}; {@code -EAGAIN} on timeout; {@code -EPIPE}, {@code -EPROTO}
     *     or {@code -EBADF}
     */
    public int writeWhole(ByteBuffer src, long timeoutNanos) {
        checkTimeout(timeoutNanos);
        int need = src.remaining();
        if (need > maxWholeWrite()) {
            return -Errno.EMSGSIZE;
        }
        long start = System.nanoTime();
        while (true) {
            if (closed) {
                return -Errno.EBADF;
            }
            if (broken) {
                return -Errno.EPROTO;
            }
            if (outputShutdown || peerClosed()) {
                return -Errno.EPIPE;
            }
            if (writeAnnounced) {
                wakeFromSpaceWait();
            }
            int w = producer.writable();
            if (w < 0) {
                return markBroken();
            }
            if (w >= need) {
                int n = producer.write(src);
                if (n < 0) {
                    return markBroken();
                }
                bytesWritten += n;
                notifyConsumer();
                return n;
            }
            if (timeoutNanos == 0) {
                int a = producer.announceWaitingForSpace(need);
                if (a < 0) {
                    return markBroken();
                }
                if (a > 0) {
                    continue;
                }
                writeAnnounced = true;
                return peerClosed() ? -Errno.EPIPE : EAGAIN;
            }
            if (!awaitSpace(need, start, timeoutNanos)) {
                return EAGAIN;
            }
        }
    }

    /**
     * Marks the channel broken because the framing above the ring found the peer's bytes invalid
     * (a hostile record descriptor): records {@code EPROTO} on this side; every later call returns
     * {@code -EPROTO}. Call {@link #close()} after.
     *
     * @return {@code -EPROTO}
     */
    public int breakChannel() {
        return markBroken();
    }

    // ---- half-close and close ---------------------------------------------------------------

    /**
     * Announces that this end writes no more: the peer reads what is in the ring and then end of
     * stream. This end can still read. Idempotent.
     *
     * @return 0, {@code -EPROTO} or {@code -EBADF}
     */
    public int shutdownOutput() {
        if (closed) {
            return -Errno.EBADF;
        }
        if (broken) {
            return -Errno.EPROTO;
        }
        if (!outputShutdown) {
            outputShutdown = true;
            // After every published byte (program order + release), before the doorbell's fence.
            INT.setRelease(region, ownState + OUTPUT_SHUTDOWN_FIELD, 1);
            notifyConsumer();
        }
        return 0;
    }

    /**
     * Closes this end: shuts its output down, marks it closed (the peer's writes then get
     * {@code -EPIPE}, its reads the remaining bytes and then end of stream), discards unread
     * incoming bytes (so a peer blocked on a full ring wakes up and sees the close), wakes the peer
     * where it waits, and closes the owner (unmapping the memory and closing the eventfds once
     * both ends are done with them). Idempotent. Call it from the thread using the end, never
     * while another thread is inside one of its calls.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!broken) {
                outputShutdown = true;
                INT.setRelease(region, ownState + OUTPUT_SHUTDOWN_FIELD, 1);
                INT.setRelease(region, ownState + CLOSED_FIELD, 1);
                if (readAnnounced) {
                    consumer.markAwake();
                    readAnnounced = false;
                }
                if (writeAnnounced) {
                    producer.markAwake();
                    writeAnnounced = false;
                }
                int unread = consumer.readable();
                if (unread > 0) {
                    consumer.release(unread);
                }
                notifyConsumer();
                notifyProducer();
            }
        } finally {
            try {
                owner.close();
            } catch (Exception e) {
                // The owner unmaps memory and closes descriptors; those report nothing we can act on.
            }
        }
    }

    // ---- configuration and state ------------------------------------------------------------

    /** @return the eventfd to poll for readability: data or end of stream arrived (edge-style). */
    public int readFd() {
        return dataIn.fd();
    }

    /** @return the eventfd to poll for readability: space freed in the outgoing ring (edge-style). */
    public int writeFd() {
        return spaceOut.fd();
    }

    /** Busy-poll mode for the blocking variants: spin instead of sleeping (off by default). */
    public void setBusyPoll(boolean busyPoll) {
        this.busyPoll = busyPoll;
    }

    /** @return true in busy-poll mode. */
    public boolean isBusyPoll() {
        return busyPoll;
    }

    /** Sets how long a blocking call spins before it sleeps on the eventfd (0: sleep at once). */
    public void setSpinNanos(long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("negative spin " + spinNanos);
        }
        this.spinNanos = spinNanos;
    }

    /** @return how long a blocking call spins before it sleeps (default {@link #DEFAULT_SPIN_NANOS}). */
    public long spinNanos() {
        return spinNanos;
    }

    /** @return {@link StreamChannelDescriptor#SIDE_A} or {@link StreamChannelDescriptor#SIDE_B}. */
    public int side() {
        return side;
    }

    /** @return the capacity of each ring. */
    public int ringCapacity() {
        return producer.capacity();
    }

    /** @return true once a corrupt index was read from the peer. */
    public boolean isBroken() {
        return broken;
    }

    /** @return true once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** @return true once {@link #shutdownOutput()} (or close) was called. */
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    /** @return bytes readable in the incoming ring now (0 once closed), or {@code -EPROTO}. */
    public int readable() {
        if (closed) {
            return 0;
        }
        int n = consumer.readable();
        return n < 0 ? markBroken() : n;
    }

    /** @return total bytes written. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** @return total bytes read. */
    public long bytesRead() {
        return bytesRead;
    }

    /** @return eventfd writes made to wake the peer's reader (net of failed writes). */
    public long dataWakeupsSent() {
        return producer.wakeupsSent();
    }

    /** @return wake-up decisions for the peer's reader that skipped the eventfd (peer busy or already rung). */
    public long dataWakeupsSkipped() {
        return producer.wakeupsSkipped();
    }

    /** @return eventfd writes to wake the peer's reader that failed. */
    public long dataWakeupFailures() {
        return dataWakeupFailures;
    }

    /**
     * @return times this end asked whether the peer's reader needed waking (once per write that
     *     moved bytes, per shutdown and per close): {@code sent + skipped + failures}
     */
    public long dataWakeupOpportunities() {
        return dataWakeupOpportunities;
    }

    /** @return eventfd writes made to wake the peer's blocked writer. */
    public long spaceWakeupsSent() {
        return consumer.wakeupsSent();
    }

    /** @return wake-up decisions for the peer's writer that skipped the eventfd. */
    public long spaceWakeupsSkipped() {
        return consumer.wakeupsSkipped();
    }

    /** @return eventfd writes to wake the peer's writer that failed. */
    public long spaceWakeupFailures() {
        return spaceWakeupFailures;
    }

    /** @return times this end asked whether the peer's writer needed waking (once per read that moved bytes, and per close). */
    public long spaceWakeupOpportunities() {
        return spaceWakeupOpportunities;
    }

    /**
     * @return times a blocking call announced idle and went to wait on an eventfd (after its
     *     spin, outside busy-poll mode); one per announcement, however many kernel waits it took
     */
    public long sleeps() {
        return sleeps;
    }

    @Override
    public String toString() {
        return "StreamChannelEnd[side " + (side == SIDE_A ? "A" : "B") + ", ring " + producer.capacity()
                + (closed ? ", closed" : "") + (broken ? ", BROKEN" : "") + (outputShutdown ? ", output shut" : "")
                + ", written " + bytesWritten + ", read " + bytesRead + "]";
    }

    /**
     * The doorbell state of both rings as shared memory shows it (flags, counters, indexes) plus
     * this end's own announcements: for diagnosing a stalled channel. Any thread; approximate.
     */
    public String describeDoorbells() {
        if (closed) {
            return "closed";
        }
        int capacity = producer.capacity();
        return "readAnnounced=" + readAnnounced + " writeAnnounced=" + writeAnnounced + " out{"
                + ringState(StreamChannelDescriptor.ringRegion(region, capacity, side)) + "} in{"
                + ringState(StreamChannelDescriptor.ringRegion(region, capacity, side ^ 1)) + "}";
    }

    private static String ringState(ByteBuffer ring) {
        java.lang.invoke.VarHandle l = java.lang.invoke.MethodHandles.byteBufferViewVarHandle(long[].class,
                java.nio.ByteOrder.LITTLE_ENDIAN);
        return "w=" + (long) l.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.WRITE_INDEX_OFFSET)
                + " r=" + (long) l.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.READ_INDEX_OFFSET)
                + " pWait=" + (int) INT.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.PRODUCER_WAITING_OFFSET)
                + " cWait=" + (int) INT.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.CONSUMER_WAITING_OFFSET)
                + " dataSent/Taken=" + (long) l.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_SENT_OFFSET)
                + "/" + (long) l.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_TAKEN_OFFSET)
                + " spaceSent/Taken=" + (long) l.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_SENT_OFFSET)
                + "/" + (long) l.getVolatile(ring, io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_TAKEN_OFFSET);
    }

    // ---- internals --------------------------------------------------------------------------

    private int writeStep(ByteBuffer src, boolean announce) {
        if (closed) {
            return -Errno.EBADF;
        }
        if (broken) {
            return -Errno.EPROTO;
        }
        if (outputShutdown || peerClosed()) {
            return -Errno.EPIPE;
        }
        if (writeAnnounced) {
            wakeFromSpaceWait();
        }
        if (!src.hasRemaining()) {
            return 0;
        }
        while (true) {
            int n = producer.write(src);
            if (n > 0) {
                bytesWritten += n;
                notifyConsumer();
                if (announce && producer.writable() == 0) {
                    // The pre-emptive block: the ring is full, so a poller of writeFd must be woken
                    // when space frees, not told "writable" now. Errors surface on the next call.
                    if (producer.announceWaitingForSpace() == 0) {
                        writeAnnounced = true;
                    }
                }
                return n;
            }
            if (n < 0) {
                return markBroken();
            }
            if (!announce) {
                return EAGAIN;
            }
            int a = producer.announceWaitingForSpace();
            if (a > 0) {
                continue; // space appeared; the flag is withdrawn
            }
            if (a < 0) {
                return markBroken();
            }
            writeAnnounced = true;
            return peerClosed() ? -Errno.EPIPE : EAGAIN;
        }
    }

    private int readStep(ByteBuffer dst, boolean announce) {
        if (closed) {
            return -Errno.EBADF;
        }
        if (broken) {
            return -Errno.EPROTO;
        }
        if (readAnnounced) {
            wakeFromDataWait();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (true) {
            int n = readOnce(dst);
            if (n != 0) {
                return n;
            }
            if (peerOutputShutdown()) {
                // The flag was loaded (acquire) after the peer's last index store: re-read once.
                n = readOnce(dst);
                return n; // bytes, 0 = end of stream, or -EPROTO
            }
            if (!announce) {
                return EAGAIN;
            }
            int a = consumer.announceWaitingForData();
            if (a > 0) {
                continue;
            }
            if (a < 0) {
                return markBroken();
            }
            readAnnounced = true;
            // The announcement's fence orders this load after the flag store: a peer that shuts
            // down after it rings us; one that shut down before it is seen here.
            if (peerOutputShutdown()) {
                return readOnce(dst);
            }
            return EAGAIN;
        }
    }

    /** @return bytes read (and the peer's writer woken if needed), 0 if empty, or -EPROTO. */
    private int readOnce(ByteBuffer dst) {
        int n = consumer.read(dst);
        if (n > 0) {
            bytesRead += n;
            notifyProducer();
            return n;
        }
        return n < 0 ? markBroken() : 0;
    }

    /**
     * Waits for space in the outgoing ring after a write found it full.
     *
     * @return true to try again (space, a wake-up, a close, or an error the next step reports),
     *     false if the timeout expired
     */
    private boolean awaitSpace(int need, long start, long timeoutNanos) {
        if (busyPoll) {
            for (int i = 1; ; i++) {
                if (producer.writable() >= need || peerClosed()) {
                    return true;
                }
                Thread.onSpinWait();
                if ((i & BUSY_CLOCK_MASK) == 0 && System.nanoTime() - start >= timeoutNanos) {
                    return false;
                }
            }
        }
        long spinEnd = Math.min(spinNanos, timeoutNanos);
        for (int i = 1; spinEnd > 0; i++) {
            if (producer.writable() >= need || peerClosed()) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & SPIN_CLOCK_MASK) == 0 && System.nanoTime() - start >= spinEnd) {
                break;
            }
        }
        int a = producer.announceWaitingForSpace(need);
        if (a != 0) {
            return true;
        }
        writeAnnounced = true;
        sleeps++;
        while (true) {
            if (peerClosed()) {
                return true; // the next step wakes, drains and reports EPIPE
            }
            long v = spaceOut.drain();
            if (v > 0) {
                producer.markAwake();
                producer.spaceDoorbellDrained(v);
                writeAnnounced = false;
                return true;
            }
            if (v != EAGAIN) {
                return true; // a closed eventfd: let the next step decide
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return false; // still announced: the next call drains
            }
            sleepOn(spaceOut, left);
        }
    }

    /** As {@link #awaitSpace(int, long, long)}, for data (or end of stream) in the incoming ring. */
    private boolean awaitData(long start, long timeoutNanos) {
        if (busyPoll) {
            for (int i = 1; ; i++) {
                if (consumer.readable() != 0 || peerOutputShutdown()) {
                    return true;
                }
                Thread.onSpinWait();
                if ((i & BUSY_CLOCK_MASK) == 0 && System.nanoTime() - start >= timeoutNanos) {
                    return false;
                }
            }
        }
        long spinEnd = Math.min(spinNanos, timeoutNanos);
        for (int i = 1; spinEnd > 0; i++) {
            if (consumer.readable() != 0 || peerOutputShutdown()) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & SPIN_CLOCK_MASK) == 0 && System.nanoTime() - start >= spinEnd) {
                break;
            }
        }
        int a = consumer.announceWaitingForData();
        if (a != 0) {
            return true;
        }
        readAnnounced = true;
        sleeps++;
        while (true) {
            // The peer rings dataIn when it shuts down; reading the flag too only covers a peer that
            // died without ringing.
            if (peerOutputShutdown()) {
                return true;
            }
            long v = dataIn.drain();
            if (v > 0) {
                consumer.markAwake();
                consumer.dataDoorbellDrained(v);
                readAnnounced = false;
                return true;
            }
            if (v != EAGAIN) {
                return true;
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return false;
            }
            sleepOn(dataIn, left);
        }
    }

    /**
     * Sleeps in the kernel until {@code doorbell} is readable, at most {@code left} and at most
     * {@link #PEER_CHECK_NANOS}. Drains nothing: the caller drains and accounts. The eventfd is
     * polled, never read blocking, so the ring's counters see exactly the drains they saw before.
     */
    private static void sleepOn(EventFd doorbell, long left) {
        int r = Unix.poll(doorbell.fd(), Unix.POLLIN, Math.min(left, PEER_CHECK_NANOS));
        if (r < 0) {
            // Not expected (ENOMEM, a closed eventfd the next drain reports): never spin on it.
            LockSupport.parkNanos(Math.min(left, POLL_FAILURE_BACKOFF_NANOS));
        }
    }

    /** Flag down first, then drain, then account (the order the ring's handshake needs). */
    private void wakeFromDataWait() {
        consumer.markAwake();
        consumer.dataDoorbellDrained(dataIn.drain());
        readAnnounced = false;
    }

    private void wakeFromSpaceWait() {
        producer.markAwake();
        producer.spaceDoorbellDrained(spaceOut.drain());
        writeAnnounced = false;
    }

    private void notifyConsumer() {
        dataWakeupOpportunities++;
        if (producer.needsConsumerWakeup() && dataOut.signal(1) != 0) {
            producer.consumerWakeupFailed();
            dataWakeupFailures++;
        }
    }

    private void notifyProducer() {
        spaceWakeupOpportunities++;
        if (consumer.needsProducerWakeup() && spaceIn.signal(1) != 0) {
            consumer.producerWakeupFailed();
            spaceWakeupFailures++;
        }
    }

    private boolean peerOutputShutdown() {
        if (!peerOutputShutdownSeen && (int) INT.getAcquire(region, peerState + OUTPUT_SHUTDOWN_FIELD) != 0) {
            peerOutputShutdownSeen = true;
        }
        return peerOutputShutdownSeen;
    }

    private boolean peerClosed() {
        if (!peerClosedSeen && (int) INT.getAcquire(region, peerState + CLOSED_FIELD) != 0) {
            peerClosedSeen = true;
            peerOutputShutdownSeen = true;
        }
        return peerClosedSeen;
    }

    /** Marks the channel broken (once): records EPROTO and CLOSED on our side; wakes nobody. */
    private int markBroken() {
        if (!broken) {
            broken = true;
            INT.setRelease(region, ownState + ERROR_FIELD, Errno.EPROTO);
            INT.setRelease(region, ownState + OUTPUT_SHUTDOWN_FIELD, 1);
            INT.setRelease(region, ownState + CLOSED_FIELD, 1);
        }
        return -Errno.EPROTO;
    }

    private static void checkTimeout(long timeoutNanos) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout " + timeoutNanos);
        }
    }
}
