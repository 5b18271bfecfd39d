package io.ferry.netstack.shm.ring;

import static io.ferry.netstack.shm.ring.OneToOneByteRing.RING_CORRUPT;
import static io.ferry.netstack.shm.ring.OneToOneByteRing.WRITE_ALIGNMENT;
import static io.ferry.netstack.shm.ring.OneToOneByteRing.distance;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_SENT_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.INT;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.LONG;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.PRODUCER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.READ_INDEX_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.WRITE_INDEX_OFFSET;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The producer end of a {@link OneToOneByteRing}: copies bytes in ({@code write}) or lends a
 * contiguous stretch of the data area to fill in place ({@link #tryClaim(int)} /
 * {@link #commit(int)}), and decides when the consumer's doorbell must be rung.
 *
 * <p><b>Threading.</b> One producer thread at a time; not thread-safe. In shared memory it writes
 * only the producer half ({@code WRITE_INDEX}, {@code DATA_WAKEUPS_SENT},
 * {@code SPACE_WAKEUPS_TAKEN}, {@code PRODUCER_WAITING}) and the data bytes between
 * {@code WRITE_INDEX} and {@code READ_INDEX + capacity}; it reads the consumer half. Its own
 * index and counters live in fields of this object; the copies in shared memory are published
 * for the consumer and never read back, so a peer that overwrites them cannot steer this side.
 * The statistics getters may be read from any thread and are then only approximately current.
 *
 * <p><b>Results.</b> Every operation returns a byte count, {@code 0} when the ring is full, or
 * {@link OneToOneByteRing#RING_CORRUPT} once the consumer's {@code READ_INDEX} has been seen out
 * of range, moving backwards or past the write index; after that every operation returns
 * {@code RING_CORRUPT} and nothing more is published. No operation allocates; none throws except
 * for caller bugs (negative lengths, committing more than claimed, bad array bounds).
 *
 * <p><b>Closing.</b> The view holds no resource: drop it. Unmapping the region while a view is
 * still used is the caller's bug (a crash, as with any mapping).
 */
public final class ByteRingProducer {

    private static final int ALIGN_MASK = ~(WRITE_ALIGNMENT - 1);

    /** Our private duplicate for absolute accesses; its position and limit never move. */
    private final ByteBuffer region;
    /** The duplicate lent to callers for zero-copy filling; they may move its position/limit. */
    private final ByteBuffer buffer;
    private final int capacity;
    private final long twoCapacity;

    /** Authoritative write index (the shared copy is published, never read back). */
    private long writeIndex;
    /** Last validated READ_INDEX seen from the consumer. */
    private long lastReadIndex;
    private int claimed;
    private long dataWakeupsSent;
    private long spaceWakeupsTaken;
    private boolean corrupt;

    private long wakeupsSent;
    private long wakeupsSkipped;

    ByteRingProducer(ByteBuffer region) {
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
        this.writeIndex = w;
        this.lastReadIndex = r;
        this.dataWakeupsSent = (long) LONG.getAcquire(this.region, DATA_WAKEUPS_SENT_OFFSET);
        this.spaceWakeupsTaken = (long) LONG.getAcquire(this.region, SPACE_WAKEUPS_TAKEN_OFFSET);
        INT.setRelease(this.region, PRODUCER_WAITING_OFFSET, 0);
    }

    /** @return the data area's length in bytes (cached at attach). */
    public int capacity() {
        return capacity;
    }

    /**
     * @return bytes that can be written now, rounded down to a multiple of
     *     {@link OneToOneByteRing#WRITE_ALIGNMENT} (32) so that the producer does not trickle a
     *     few bytes at a time into an almost full ring; {@code 0} when (nearly) full;
     *     {@code RING_CORRUPT}
     */
    public int writable() {
        int free = free();
        return free < 0 ? free : free & ALIGN_MASK;
    }

    /**
     * Copies up to {@link #writable()} bytes from {@code src}'s position (split in two copies at
     * the wrap), advances its position by the count, and publishes them.
     *
     * @return bytes written, {@code 0} if the ring is full or {@code src} is empty, or
     *     {@code RING_CORRUPT}
     */
    public int write(ByteBuffer src) {
        int pos = src.position();
        int n = writableFor(src.limit() - pos);
        if (n <= 0) {
            return n;
        }
        int len = Math.min(n, src.limit() - pos);
        if (len == 0) {
            return 0;
        }
        copyIn(writeIndex, src, pos, len);
        src.position(pos + len);
        publish(len);
        return len;
    }

    /**
     * Copies up to {@link #writable()} bytes of {@code src[offset, offset+length)} without
     * touching {@code src}'s position, and publishes them. Suits a {@code BufferList} segment,
     * whose list records where its bytes start.
     *
     * @return bytes written (consume that many from the source), {@code 0}, or
     *     {@code RING_CORRUPT}
     * @throws IndexOutOfBoundsException if the range is not within {@code src}'s limit
     */
    public int write(ByteBuffer src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.limit());
        int n = writableFor(length);
        if (n <= 0) {
            return n;
        }
        int len = Math.min(n, length);
        if (len == 0) {
            return 0;
        }
        copyIn(writeIndex, src, offset, len);
        publish(len);
        return len;
    }

    /**
     * Copies up to {@link #writable()} bytes of {@code src[offset, offset+length)} and publishes
     * them.
     *
     * @return bytes written, {@code 0}, or {@code RING_CORRUPT}
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public int write(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        int n = writableFor(length);
        if (n <= 0) {
            return n;
        }
        int len = Math.min(n, length);
        if (len == 0) {
            return 0;
        }
        int off = offset(writeIndex);
        int first = Math.min(len, capacity - off);
        region.put(DATA_OFFSET + off, src, offset, first);
        if (first < len) {
            region.put(DATA_OFFSET, src, offset + first, len - first);
        }
        publish(len);
        return len;
    }

    /**
     * Gathering write: copies the remaining bytes of {@code srcs[offset .. offset+length)} in
     * order, up to {@link #writable()} in total, advancing each source's position by what was
     * taken from it (the last one may be taken in part), and publishes them all with one index
     * store.
     *
     * @return bytes written, {@code 0}, or {@code RING_CORRUPT}
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public int write(ByteBuffer[] srcs, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long wanted = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            wanted += srcs[i].remaining();
        }
        int n = writableFor((int) Math.min(wanted, Integer.MAX_VALUE));
        if (n <= 0) {
            return n;
        }
        int total = 0;
        long index = writeIndex;
        for (int i = offset, end = offset + length; i < end && total < n; i++) {
            ByteBuffer src = srcs[i];
            int pos = src.position();
            int len = Math.min(src.limit() - pos, n - total);
            if (len == 0) {
                continue;
            }
            copyIn(index, src, pos, len);
            src.position(pos + len);
            total += len;
            index = advance(index, len);
        }
        if (total > 0) {
            publish(total);
        }
        return total;
    }

    /**
     * Lends the next contiguous free stretch of the data area, up to {@code maxLength} bytes, for
     * the caller to fill in place through {@link #buffer()} at {@link #claimIndex()}; then call
     * {@link #commit(int)}. The stretch ends at the wrap at the latest: a second claim after the
     * commit continues at the start of the data area. A new claim or write replaces an
     * uncommitted claim.
     *
     * @return bytes claimed ({@code <= writable()}), {@code 0} if full, or {@code RING_CORRUPT}
     * @throws IllegalArgumentException if maxLength is negative
     */
    public int tryClaim(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative claim length " + maxLength);
        }
        int contiguous = capacity - offset(writeIndex);
        int n = writableFor(Math.min(contiguous, maxLength));
        if (n <= 0) {
            claimed = 0;
            return n;
        }
        n = Math.min(Math.min(n, contiguous), maxLength);
        claimed = n;
        return n;
    }

    /** @return the index in {@link #buffer()} where the claimed (or next written) bytes start. */
    public int claimIndex() {
        return DATA_OFFSET + offset(writeIndex);
    }

    /**
     * Publishes the first {@code length} bytes of the current claim (0 abandons it).
     *
     * @return {@code length}, or {@code RING_CORRUPT} (then nothing is published)
     * @throws IllegalArgumentException if length is negative or more than was claimed
     */
    public int commit(int length) {
        if (length < 0 || length > claimed) {
            throw new IllegalArgumentException("commit of " + length + " bytes exceeds the claim of " + claimed);
        }
        if (corrupt) {
            claimed = 0;
            return RING_CORRUPT;
        }
        if (length > 0) {
            publish(length);
        }
        claimed = 0;
        return length;
    }

    /**
     * @return this view's own duplicate of the region, for filling a claim with absolute puts
     *     (or by moving its position and limit, which the ring never uses). Writing outside the
     *     current claim corrupts the stream.
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Decides whether the consumer's data doorbell must be rung after a commit (or any other
     * state change the consumer must see). True only if the consumer has announced that it is
     * waiting and the doorbell counters say nothing is pending in its eventfd; then the
     * {@code DATA_WAKEUPS_SENT} count has already been raised by one and the caller must write 1
     * to the eventfd (and call {@link #consumerWakeupFailed()} if that write fails). Executes a
     * full fence first: see {@link OneToOneByteRing} for why acquire/release alone loses
     * wake-ups.
     *
     * @return true if the caller must write the consumer's eventfd now
     */
    public boolean needsConsumerWakeup() {
        VarHandle.fullFence();
        // TAKEN before WAITING: the consumer stores them in the opposite order (drained count,
        // then the flag), so a fresh flag is never paired with a stale count -> no spurious ring.
        long taken = (long) LONG.getAcquire(region, DATA_WAKEUPS_TAKEN_OFFSET);
        int waiting = (int) INT.getAcquire(region, CONSUMER_WAITING_OFFSET);
        if (corrupt || waiting == 0 || taken != dataWakeupsSent) {
            wakeupsSkipped++;
            return false;
        }
        dataWakeupsSent++;
        LONG.setRelease(region, DATA_WAKEUPS_SENT_OFFSET, dataWakeupsSent);
        wakeupsSent++;
        return true;
    }

    /** Undoes the count of the last {@link #needsConsumerWakeup()} whose eventfd write failed. */
    public void consumerWakeupFailed() {
        dataWakeupsSent--;
        LONG.setRelease(region, DATA_WAKEUPS_SENT_OFFSET, dataWakeupsSent);
        wakeupsSent--;
    }

    /**
     * Announces that this producer is about to block until space frees ({@code PRODUCER_WAITING}
     * = 1), executes a full fence, and re-checks. Call it only after
     * {@link #spaceDoorbellDrained(long)} has accounted for everything drained from the space
     * doorbell so far.
     *
     * @return {@code 0}: the flag stays up and the caller may block on its space doorbell (or
     *     report EWOULDBLOCK); a positive writable count: space appeared, the flag is withdrawn,
     *     keep writing; or {@code RING_CORRUPT}
     */
    public int announceWaitingForSpace() {
        if (corrupt) {
            return RING_CORRUPT;
        }
        INT.setRelease(region, PRODUCER_WAITING_OFFSET, 1);
        VarHandle.fullFence();
        int n = writable();
        if (n != 0) {
            INT.setRelease(region, PRODUCER_WAITING_OFFSET, 0);
        }
        return n;
    }

    /**
     * As {@link #announceWaitingForSpace()}, for a producer that needs {@code need} bytes at once
     * (a whole datagram record): the flag stays up while fewer than {@code need} bytes are
     * writable, so the consumer keeps ringing as it frees space.
     *
     * @return {@code 0}: the flag stays up (fewer than {@code need} bytes writable); the writable
     *     count when at least {@code need}: the flag is withdrawn; or {@code RING_CORRUPT}
     */
    public int announceWaitingForSpace(int need) {
        if (corrupt) {
            return RING_CORRUPT;
        }
        INT.setRelease(region, PRODUCER_WAITING_OFFSET, 1);
        VarHandle.fullFence();
        int n = writable();
        if (n < 0) {
            return n;
        }
        if (n >= need && n != 0) {
            INT.setRelease(region, PRODUCER_WAITING_OFFSET, 0);
            return n;
        }
        return 0;
    }

    /** Withdraws the waiting flag; call it first thing after waking (before draining). */
    public void markAwake() {
        INT.setRelease(region, PRODUCER_WAITING_OFFSET, 0);
    }

    /**
     * Accounts for {@code value}, what {@code read(2)} of the space doorbell's eventfd returned
     * (0 or negative: nothing was drained).
     */
    public void spaceDoorbellDrained(long value) {
        if (value > 0) {
            spaceWakeupsTaken += value;
            LONG.setRelease(region, SPACE_WAKEUPS_TAKEN_OFFSET, spaceWakeupsTaken);
        }
    }

    /** @return true once an invalid index has been read from the consumer. */
    public boolean isCorrupt() {
        return corrupt;
    }

    /** @return this side's write index, in [0, 2*capacity). */
    public long writeIndex() {
        return writeIndex;
    }

    /** @return consumer wake-ups this view decided to send (net of failed ones). */
    public long wakeupsSent() {
        return wakeupsSent;
    }

    /** @return wake-up decisions that skipped the eventfd (consumer busy or already rung). */
    public long wakeupsSkipped() {
        return wakeupsSkipped;
    }

    @Override
    public String toString() {
        return "ByteRingProducer[capacity " + capacity + ", write " + writeIndex + ", read " + lastReadIndex
                + (corrupt ? ", CORRUPT" : "") + "]";
    }

    // ---- internals --------------------------------------------------------------------------

    /**
     * {@link #writable()} for an operation that takes at most {@code wanted} bytes: when the
     * {@code READ_INDEX} seen last already leaves room for all of them, the shared index is not
     * loaded again (the operation's result is the same: a fresher index only frees more).
     * Loading it on every write would pull the consumer's cache line over on every message, a
     * cross-core miss on the latency path of a ping-pong; as Agrona's rings cache the head, this
     * side re-reads it only when the ring looks too full. A hostile index is then found by the
     * first operation that needs fresh room (every index loaded is still checked).
     */
    private int writableFor(int wanted) {
        if (!corrupt) {
            int cached = (capacity - (int) distance(lastReadIndex, writeIndex, twoCapacity)) & ALIGN_MASK;
            if (cached >= wanted) {
                return cached;
            }
        }
        return writable();
    }

    /** @return free bytes per the latest validated READ_INDEX, or RING_CORRUPT. */
    private int free() {
        if (corrupt) {
            return RING_CORRUPT;
        }
        long r = (long) LONG.getAcquire(region, READ_INDEX_OFFSET);
        if (r != lastReadIndex) {
            // The consumer may only have advanced, and not past what we have published.
            if (!inRange(r)
                    || distance(lastReadIndex, r, twoCapacity) > distance(lastReadIndex, writeIndex, twoCapacity)) {
                corrupt = true;
                return RING_CORRUPT;
            }
            lastReadIndex = r;
        }
        return capacity - (int) distance(r, writeIndex, twoCapacity);
    }

    private void copyIn(long index, ByteBuffer src, int srcIndex, int len) {
        int off = offset(index);
        int first = Math.min(len, capacity - off);
        region.put(DATA_OFFSET + off, src, srcIndex, first);
        if (first < len) {
            region.put(DATA_OFFSET, src, srcIndex + first, len - first);
        }
    }

    private void publish(int len) {
        long w = advance(writeIndex, len);
        writeIndex = w;
        claimed = 0;
        LONG.setRelease(region, WRITE_INDEX_OFFSET, w);
    }

    private long advance(long index, int len) {
        long next = index + len;
        return next >= twoCapacity ? next - twoCapacity : next;
    }

    private int offset(long index) {
        return (int) (index < capacity ? index : index - capacity);
    }

    private boolean inRange(long index) {
        return index >= 0 && index < twoCapacity;
    }
}
