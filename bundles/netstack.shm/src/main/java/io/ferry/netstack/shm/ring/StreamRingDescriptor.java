package io.ferry.netstack.shm.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The shared-memory layout of one direction of a stream channel: a 384-byte descriptor followed
 * by the data area. Every multi-byte field is <b>little-endian</b>; 64-bit fields are 8-byte
 * aligned and 32-bit fields 4-byte aligned, so that they can be accessed atomically. The region
 * itself starts on a 64-byte boundary.
 *
 * <pre>
 * offset size field                       written by  meaning
 * ------ ---- --------------------------- ----------- ---------------------------------------------
 *      0    4 MAGIC                       creator     bytes 'F','R','N','G' (0x474E5246 LE)
 *      4    2 VERSION                     creator     layout version, 1
 *      6    2 DATA_OFFSET                 creator     offset of the data area from the region, 384
 *      8    8 CAPACITY                    creator     data area length in bytes, 64 .. 2^30
 *     16  112 reserved                    creator     zero
 *    ---- producer half (one cache-line pair, written only by the producer) ----------------
 *    128    8 WRITE_INDEX                 producer    next byte to write, in [0, 2*CAPACITY)
 *    136    8 DATA_WAKEUPS_SENT           producer    eventfd writes (value 1 each) made to wake
 *                                                     the consumer: the "write count" of the
 *                                                     consumer's data doorbell
 *    144    8 SPACE_WAKEUPS_TAKEN         producer    sum of the values the producer has read from
 *                                                     its space doorbell: its "read count"
 *    152    4 PRODUCER_WAITING            producer    1 = announced "blocked on a full ring, wake
 *                                                     me when space frees"; 0 = busy
 *    156  100 padding                                 zero
 *    ---- consumer half (one cache-line pair, written only by the consumer) ----------------
 *    256    8 READ_INDEX                  consumer    next byte to read, in [0, 2*CAPACITY)
 *    264    8 DATA_WAKEUPS_TAKEN          consumer    sum of the values the consumer has read
 *                                                     from its data doorbell
 *    272    8 SPACE_WAKEUPS_SENT          consumer    eventfd writes (value 1 each) made to wake
 *                                                     the producer
 *    280    4 CONSUMER_WAITING            consumer    1 = announced "idle on an empty ring, wake me
 *                                                     when data arrives"; 0 = busy
 *    284  100 padding                                 zero
 *    ---- data area -------------------------------------------------------------------------
 *    384  CAPACITY bytes of stream data; byte at index i lives at 384 + (i mod CAPACITY)
 * </pre>
 *
 * <p><b>Halves.</b> Each half is written by one side only and occupies two 64-byte cache lines
 * (128 bytes, as Agrona pads), so the producer's stores never invalidate the line the consumer
 * is storing to, also on CPUs whose prefetcher pulls cache lines in adjacent pairs. The header
 * line is written once, before the region is handed to the peer, and read-only afterwards; each
 * side reads it once, when it attaches, and never trusts a later change.
 *
 * <p><b>Indexes.</b> {@code WRITE_INDEX} and {@code READ_INDEX} run over {@code [0, 2*CAPACITY)}
 * and wrap to 0 at {@code 2*CAPACITY}. The number of readable bytes is
 * {@code (WRITE_INDEX - READ_INDEX) mod 2*CAPACITY}, which is 0 when empty and CAPACITY when full
 * — the doubled range tells full from empty without a power-of-two capacity and without wasting
 * a byte. A reader of the peer's index must check that it is in range, that it implies no more
 * than CAPACITY readable bytes, and that it has only moved forward (see {@link OneToOneByteRing}).
 *
 * <p><b>Doorbells.</b> Each direction has two doorbells, each an eventfd chosen by the channel
 * layer: the <em>data</em> doorbell wakes the consumer, the <em>space</em> doorbell wakes a
 * producer blocked on a full ring. For each doorbell the ringing side counts its eventfd writes
 * ({@code *_SENT}) and the woken side adds up what it drained with {@code read(2)}
 * ({@code *_TAKEN}); the difference is what is still pending in the eventfd (OpenPerf's rule), so
 * the ringer writes the eventfd only when the waiter has announced it is waiting
 * ({@code *_WAITING}) and nothing is pending. The counters mirror one eventfd each: an eventfd
 * that is written through any other path breaks the mirror.
 *
 * <p>Not instantiable: constants and static helpers only. Thread-safe.
 */
public final class StreamRingDescriptor {

    /** Cache line length assumed for alignment and padding. */
    public static final int CACHE_LINE_LENGTH = 64;
    /** Length of each half: two cache lines, against false sharing with adjacent-line prefetch. */
    public static final int HALF_LENGTH = 2 * CACHE_LINE_LENGTH;

    /** The magic: the bytes 'F', 'R', 'N', 'G' read as a little-endian int. */
    public static final int MAGIC = 0x474E5246;
    /** The layout version this code writes and accepts. */
    public static final short VERSION = 1;

    /** Offset of {@code MAGIC}, int. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of {@code VERSION}, short. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of {@code DATA_OFFSET} (the field), short. */
    public static final int DATA_OFFSET_OFFSET = 6;
    /** Offset of {@code CAPACITY}, long. */
    public static final int CAPACITY_OFFSET = 8;

    /** Start of the producer half. */
    public static final int PRODUCER_HALF_OFFSET = HALF_LENGTH;
    /** Offset of {@code WRITE_INDEX}, long, producer-owned. */
    public static final int WRITE_INDEX_OFFSET = PRODUCER_HALF_OFFSET;
    /** Offset of {@code DATA_WAKEUPS_SENT}, long, producer-owned. */
    public static final int DATA_WAKEUPS_SENT_OFFSET = PRODUCER_HALF_OFFSET + 8;
    /** Offset of {@code SPACE_WAKEUPS_TAKEN}, long, producer-owned. */
    public static final int SPACE_WAKEUPS_TAKEN_OFFSET = PRODUCER_HALF_OFFSET + 16;
    /** Offset of {@code PRODUCER_WAITING}, int, producer-owned. */
    public static final int PRODUCER_WAITING_OFFSET = PRODUCER_HALF_OFFSET + 24;

    /** Start of the consumer half. */
    public static final int CONSUMER_HALF_OFFSET = PRODUCER_HALF_OFFSET + HALF_LENGTH;
    /** Offset of {@code READ_INDEX}, long, consumer-owned. */
    public static final int READ_INDEX_OFFSET = CONSUMER_HALF_OFFSET;
    /** Offset of {@code DATA_WAKEUPS_TAKEN}, long, consumer-owned. */
    public static final int DATA_WAKEUPS_TAKEN_OFFSET = CONSUMER_HALF_OFFSET + 8;
    /** Offset of {@code SPACE_WAKEUPS_SENT}, long, consumer-owned. */
    public static final int SPACE_WAKEUPS_SENT_OFFSET = CONSUMER_HALF_OFFSET + 16;
    /** Offset of {@code CONSUMER_WAITING}, int, consumer-owned. */
    public static final int CONSUMER_WAITING_OFFSET = CONSUMER_HALF_OFFSET + 24;

    /** Offset of the data area; also the length of the descriptor. */
    public static final int DATA_OFFSET = CONSUMER_HALF_OFFSET + HALF_LENGTH;

    /** Smallest data area: the writable count is rounded down to 32 bytes, so 64 keeps it useful. */
    public static final int MIN_CAPACITY = 64;
    /** Largest data area (1 GiB): keeps every offset within an int-indexed ByteBuffer. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** The default data area, 128 KiB per direction (OpenPerf's size). */
    public static final int DEFAULT_CAPACITY = 128 * 1024;

    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, BYTE_ORDER);
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, BYTE_ORDER);

    private StreamRingDescriptor() {
    }

    /**
     * @return the bytes a ring of {@code capacity} occupies, rounded up to a multiple of
     *     {@link #CACHE_LINE_LENGTH} so that rings can be laid out back to back, each 64-aligned
     * @throws IllegalArgumentException if capacity is outside [MIN_CAPACITY, MAX_CAPACITY]
     */
    public static int regionLength(int capacity) {
        checkCapacity(capacity);
        int raw = DATA_OFFSET + capacity;
        return (raw + CACHE_LINE_LENGTH - 1) & -CACHE_LINE_LENGTH;
    }

    /**
     * Formats a fresh ring at the start of {@code region}: zeroes the descriptor, writes capacity
     * and version, and writes the magic last with a release store, so that a peer that sees the
     * magic sees the rest. The data area is left as it is. Call it before the region is shared,
     * from one thread. Setup, not hot path: invalid arguments throw.
     *
     * @param region a direct buffer whose index 0 is 64-byte aligned and which holds at least
     *     {@code DATA_OFFSET + capacity} bytes; its position and limit are ignored and unchanged
     * @throws IllegalArgumentException if region or capacity do not fit
     */
    public static void initialize(ByteBuffer region, int capacity) {
        checkCapacity(capacity);
        checkRegion(region, capacity);
        for (int i = 0; i < DATA_OFFSET; i += Long.BYTES) {
            LONG.set(region, i, 0L);
        }
        LONG.set(region, CAPACITY_OFFSET, (long) capacity);
        INT.set(region, VERSION_OFFSET, (DATA_OFFSET << 16) | (VERSION & 0xFFFF));
        INT.setRelease(region, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Reads and checks the descriptor's header (magic, version, data offset, capacity against the
     * region's size). Setup, not hot path.
     *
     * @return the ring's capacity, which the caller must cache: the header is never re-read
     * @throws IllegalArgumentException naming the first field that does not fit
     */
    public static int readCapacity(ByteBuffer region) {
        if (!region.isDirect()) {
            throw new IllegalArgumentException("ring region must be a direct buffer");
        }
        if (region.capacity() < DATA_OFFSET + MIN_CAPACITY) {
            throw new IllegalArgumentException("ring region too small: " + region.capacity() + " bytes");
        }
        checkAlignment(region);
        int magic = (int) INT.getAcquire(region, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalArgumentException("bad ring magic 0x" + Integer.toHexString(magic));
        }
        int versionWord = (int) INT.get(region, VERSION_OFFSET);
        int version = versionWord & 0xFFFF;
        int dataOffset = versionWord >>> 16;
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported ring version " + version + " (expected " + VERSION + ")");
        }
        if (dataOffset != DATA_OFFSET) {
            throw new IllegalArgumentException("bad ring data offset " + dataOffset + " (expected " + DATA_OFFSET + ")");
        }
        long capacity = (long) LONG.get(region, CAPACITY_OFFSET);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity " + capacity + " outside [" + MIN_CAPACITY + ", " + MAX_CAPACITY + "]");
        }
        if (DATA_OFFSET + capacity > region.capacity()) {
            throw new IllegalArgumentException("ring capacity " + capacity + " exceeds the region (" + region.capacity() + " bytes)");
        }
        return (int) capacity;
    }

    private static void checkCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity " + capacity + " outside [" + MIN_CAPACITY + ", " + MAX_CAPACITY + "]");
        }
    }

    private static void checkRegion(ByteBuffer region, int capacity) {
        if (!region.isDirect()) {
            throw new IllegalArgumentException("ring region must be a direct buffer");
        }
        if (region.isReadOnly()) {
            throw new IllegalArgumentException("ring region must be writable");
        }
        if (region.capacity() < DATA_OFFSET + capacity) {
            throw new IllegalArgumentException("ring region of " + region.capacity() + " bytes cannot hold a ring of capacity " + capacity);
        }
        checkAlignment(region);
    }

    private static void checkAlignment(ByteBuffer region) {
        if (region.alignmentOffset(0, CACHE_LINE_LENGTH) != 0) {
            throw new IllegalArgumentException("ring region must start on a " + CACHE_LINE_LENGTH + "-byte boundary");
        }
    }
}
