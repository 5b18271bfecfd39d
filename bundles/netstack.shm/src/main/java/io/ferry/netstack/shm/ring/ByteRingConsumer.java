package io.ferry.netstack.shm.ring;

import static io.ferry.netstack.shm.ring.OneToOneByteRing.RING_CORRUPT;
import static io.ferry.netstack.shm.ring.OneToOneByteRing.WRITE_ALIGNMENT;
import static io.ferry.netstack.shm.ring.OneToOneByteRing.distance;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.INT;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.LONG;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.PRODUCER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.READ_INDEX_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_SENT_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.WRITE_INDEX_OFFSET;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The consumer end of a {@link OneToOneByteRing}: copies bytes out ({@code read}) or looks at a
 * contiguous stretch of them in place ({@link #peek(int)} / {@link #release(int)}), and decides
 * when a producer blocked on a full ring must be woken.
 *
 * <p><b>Threading.</b> One consumer thread at a time; not thread-safe. In shared memory it writes
 * only the consumer half ({@code READ_INDEX}, {@code DATA_WAKEUPS_TAKEN},
 * {@code SPACE_WAKEUPS_SENT}, {@code CONSUMER_WAITING}); it reads the producer half and the data
 * bytes between {@code READ_INDEX} and {@code WRITE_INDEX}. Its own index and counters live in
 * fields of this object and are never read back from shared memory. The statistics getters may
 * be read from any thread and are then only approximately current.
 *
 * <p><b>Results.</b> Every operation returns a byte count, {@code 0} when the ring is empty, or
 * {@link OneToOneByteRing#RING_CORRUPT} once the producer's {@code WRITE_INDEX} has been seen
 * out of range, moving backwards, or implying more than {@code capacity} readable bytes; after
 * that every operation returns {@code RING_CORRUPT} and nothing more is read or released. No
 * operation allocates; none throws except for caller bugs (negative lengths, releasing more than
 * is readable, bad array bounds).
 *
 * <p><b>Zero copy.</b> Bytes seen through {@link #peek(int)} stay valid until they are
 * {@link #release(int) released}; after that the producer may overwrite them at once. The peer
 * can change them even before (it is shared memory): copy a field before validating it.
 */
public final class ByteRingConsumer {

    private static final int ALIGN_MASK = ~(WRITE_ALIGNMENT - 1);

    private final ByteBuffer region;
    private final ByteBuffer buffer;
    private final int capacity;
    private final long twoCapacity;

    /** Authoritative read index (the shared copy is published, never read back). */
    private long readIndex;
    /** Last validated WRITE_INDEX seen from the producer. */
    private long lastWriteIndex;
    private long dataWakeupsTaken;
    private long spaceWakeupsSent;
    private boolean corrupt;

    private long wakeupsSent;
    private long wakeupsSkipped;

    ByteRingConsumer(ByteBuffer region) {
        this.capacity = StreamRingDescriptor.readCapacity(region);
        if (region.isReadOnly()) {
            throw new IllegalArgumentException("ring region must be writable");
        }
        this.region = region.duplicate().clear();
        this.buffer = region.duplicate().clear();
        this.twoCapacity = 2L * capacity;
        long w = (long) LONG.getAcquire(this.region, WRITE_INDEX_OFFSET);
        long r = (long) LONG.getAcquire(this.region, READ_INDEX_OFFSET);
        if (!inRange(w) || !inRange(r) || distance(r, w, twoCapacity) > capacity) {
            throw new IllegalArgumentException("ring indexes corrupt at attach: write " + w + ", read " + r
                    + ", capacity " + capacity);
        }
        this.readIndex = r;
        this.lastWriteIndex = w;
        this.dataWakeupsTaken = (long) LONG.getAcquire(this.region, DATA_WAKEUPS_TAKEN_OFFSET);
        this.spaceWakeupsSent = (long) LONG.getAcquire(this.region, SPACE_WAKEUPS_SENT_OFFSET);
        INT.setRelease(this.region, CONSUMER_WAITING_OFFSET, 0);
    }

    /** @return the data area's length in bytes (cached at attach). */
    public int capacity() {
        return capacity;
    }

    /** @return bytes that can be read now, {@code 0} when empty, or {@code RING_CORRUPT}. */
    public int readable() {
        return available();
    }

    /**
     * Copies up to {@link #readable()} bytes to {@code dst}'s position (split in two copies at
     * the wrap), advances its position by the count, and frees them in the ring.
     *
     * @return bytes read, {@code 0} if the ring is empty or {@code dst} full, or
     *     {@code RING_CORRUPT}
     */
    public int read(ByteBuffer dst) {
        int n = available();
        if (n <= 0) {
            return n;
        }
        int pos = dst.position();
        int len = Math.min(n, dst.limit() - pos);
        if (len == 0) {
            return 0;
        }
        int off = offset(readIndex);
        int first = Math.min(len, capacity - off);
        dst.put(pos, region, DATA_OFFSET + off, first);
        if (first < len) {
            dst.put(pos + first, region, DATA_OFFSET, len - first);
        }
        dst.position(pos + len);
        advance(len);
        return len;
    }

    /**
     * Copies up to {@link #readable()} bytes into {@code dst[offset, offset+length)} and frees
     * them in the ring.
     *
     * @return bytes read, {@code 0}, or {@code RING_CORRUPT}
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public int read(byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int n = available();
        if (n <= 0) {
            return n;
        }
        int len = Math.min(n, length);
        if (len == 0) {
            return 0;
        }
        int off = offset(readIndex);
        int first = Math.min(len, capacity - off);
        region.get(DATA_OFFSET + off, dst, offset, first);
        if (first < len) {
            region.get(DATA_OFFSET, dst, offset + first, len - first);
        }
        advance(len);
        return len;
    }

    /**
     * Looks at the next contiguous readable stretch, up to {@code maxLength} bytes, in place: the
     * bytes are in {@link #buffer()} from {@link #peekIndex()}. The stretch ends at the wrap at
     * the latest; after {@link #release(int)} a second peek continues at the start of the data
     * area. Peeking frees nothing.
     *
     * @return bytes visible, {@code 0} if empty, or {@code RING_CORRUPT}
     * @throws IllegalArgumentException if maxLength is negative
     */
    public int peek(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative peek length " + maxLength);
        }
        int n = available();
        if (n <= 0) {
            return n;
        }
        return Math.min(Math.min(n, capacity - offset(readIndex)), maxLength);
    }

    /** @return the index in {@link #buffer()} of the next unread byte. */
    public int peekIndex() {
        return DATA_OFFSET + offset(readIndex);
    }

    /**
     * Frees the next {@code length} bytes (after a peek, or to skip them).
     *
     * @return {@code length}, or {@code RING_CORRUPT} (then nothing is freed)
     * @throws IllegalArgumentException if length is negative or more than was last seen readable
     */
    public int release(int length) {
        if (length < 0 || length > distance(readIndex, lastWriteIndex, twoCapacity)) {
            throw new IllegalArgumentException("release of " + length + " bytes exceeds the "
                    + distance(readIndex, lastWriteIndex, twoCapacity) + " readable");
        }
        if (corrupt) {
            return RING_CORRUPT;
        }
        if (length > 0) {
            advance(length);
        }
        return length;
    }

    /**
     * @return this view's own duplicate of the region, for reading peeked bytes with absolute
     *     gets (or by moving its position and limit, which the ring never uses)
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Decides whether a producer blocked on a full ring must be woken after bytes were freed.
     * True only if the producer has announced that it is waiting, the space doorbell's counters
     * say nothing is pending in its eventfd, and the producer would now see at least
     * {@link OneToOneByteRing#WRITE_ALIGNMENT} writable bytes; then {@code SPACE_WAKEUPS_SENT} has
     * already been raised by one and the caller must write 1 to the producer's eventfd (and call
     * {@link #producerWakeupFailed()} if that fails). Executes a full fence first (see
     * {@link OneToOneByteRing}).
     *
     * @return true if the caller must write the producer's eventfd now
     */
    public boolean needsProducerWakeup() {
        VarHandle.fullFence();
        long taken = (long) LONG.getAcquire(region, SPACE_WAKEUPS_TAKEN_OFFSET);
        int waiting = (int) INT.getAcquire(region, PRODUCER_WAITING_OFFSET);
        // lastWriteIndex may be stale (older, smaller): that overstates the free space, so the
        // check below can ring needlessly but never skips a producer that would see space.
        int free = capacity - (int) distance(readIndex, lastWriteIndex, twoCapacity);
        if (corrupt || waiting == 0 || taken != spaceWakeupsSent || (free & ALIGN_MASK) == 0) {
            wakeupsSkipped++;
            return false;
        }
        spaceWakeupsSent++;
        LONG.setRelease(region, SPACE_WAKEUPS_SENT_OFFSET, spaceWakeupsSent);
        wakeupsSent++;
        return true;
    }

    /** Undoes the count of the last {@link #needsProducerWakeup()} whose eventfd write failed. */
    public void producerWakeupFailed() {
        spaceWakeupsSent--;
        LONG.setRelease(region, SPACE_WAKEUPS_SENT_OFFSET, spaceWakeupsSent);
        wakeupsSent--;
    }

    /**
     * Announces that this consumer is about to block until data arrives
     * ({@code CONSUMER_WAITING} = 1), executes a full fence, and re-checks. Call it only after
     * {@link #dataDoorbellDrained(long)} has accounted for everything drained from the data
     * doorbell so far.
     *
     * @return {@code 0}: the flag stays up and the caller may block on its data doorbell; a
     *     positive readable count: data arrived, the flag is withdrawn, keep reading; or
     *     {@code RING_CORRUPT}
     */
    public int announceWaitingForData() {
        if (corrupt) {
            return RING_CORRUPT;
        }
        INT.setRelease(region, CONSUMER_WAITING_OFFSET, 1);
        VarHandle.fullFence();
        int n = available();
        if (n != 0) {
            INT.setRelease(region, CONSUMER_WAITING_OFFSET, 0);
        }
        return n;
    }

    /** Withdraws the waiting flag; call it first thing after waking (before draining). */
    public void markAwake() {
        INT.setRelease(region, CONSUMER_WAITING_OFFSET, 0);
    }

    /**
     * Accounts for {@code value}, what {@code read(2)} of the data doorbell's eventfd returned
     * (0 or negative: nothing was drained).
     */
    public void dataDoorbellDrained(long value) {
        if (value > 0) {
            dataWakeupsTaken += value;
            LONG.setRelease(region, DATA_WAKEUPS_TAKEN_OFFSET, dataWakeupsTaken);
        }
    }

    /** @return true once an invalid index has been read from the producer. */
    public boolean isCorrupt() {
        return corrupt;
    }

    /** @return this side's read index, in [0, 2*capacity). */
    public long readIndex() {
        return readIndex;
    }

    /** @return producer wake-ups this view decided to send (net of failed ones). */
    public long wakeupsSent() {
        return wakeupsSent;
    }

    /** @return wake-up decisions that skipped the eventfd (producer busy, already rung, or no room yet). */
    public long wakeupsSkipped() {
        return wakeupsSkipped;
    }

    @Override
    public String toString() {
        return "ByteRingConsumer[capacity " + capacity + ", read " + readIndex + ", write " + lastWriteIndex
                + (corrupt ? ", CORRUPT" : "") + "]";
    }

    // ---- internals --------------------------------------------------------------------------

    /** @return readable bytes per a freshly loaded and validated WRITE_INDEX, or RING_CORRUPT. */
    private int available() {
        if (corrupt) {
            return RING_CORRUPT;
        }
        long w = (long) LONG.getAcquire(region, WRITE_INDEX_OFFSET);
        if (w != lastWriteIndex) {
            // In range, no more than capacity readable, and never fewer than before (the
            // producer cannot take back bytes it published).
            long used;
            if (!inRange(w)
                    || (used = distance(readIndex, w, twoCapacity)) > capacity
                    || used < distance(readIndex, lastWriteIndex, twoCapacity)) {
                corrupt = true;
                return RING_CORRUPT;
            }
            lastWriteIndex = w;
        }
        return (int) distance(readIndex, lastWriteIndex, twoCapacity);
    }

    private void advance(int len) {
        long r = readIndex + len;
        if (r >= twoCapacity) {
            r -= twoCapacity;
        }
        readIndex = r;
        LONG.setRelease(region, READ_INDEX_OFFSET, r);
    }

    private int offset(long index) {
        return (int) (index < capacity ? index : index - capacity);
    }

    private boolean inRange(long index) {
        return index >= 0 && index < twoCapacity;
    }
}
