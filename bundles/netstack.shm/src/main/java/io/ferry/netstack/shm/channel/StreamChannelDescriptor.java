package io.ferry.netstack.shm.channel;

import io.ferry.netstack.shm.ring.OneToOneByteRing;
import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The shared-memory layout of one full-duplex stream channel: a 192-byte channel header (three
 * 64-byte cache lines) followed by two stream rings laid out by {@link StreamRingDescriptor}, one
 * per direction. Every multi-byte field is <b>little-endian</b>; the region starts on a 64-byte
 * boundary and every ring starts on one too.
 *
 * <pre>
 * offset size field                  written by  meaning
 * ------ ---- ---------------------- ----------- ---------------------------------------------------
 *      0    4 MAGIC                  creator     bytes 'F','C','H','N' (0x4E484346 LE); written last
 *      4    2 VERSION                creator     1
 *      6    2 HEADER_LENGTH          creator     192 (offset of the first ring)
 *      8    4 RING_CAPACITY          creator     data area of each ring, 64 .. 2^30 (default 131072)
 *     12    4 reserved               creator     zero
 *     16    8 RING_A_TO_B_OFFSET     creator     192: the ring side A produces and side B consumes
 *     24    8 RING_B_TO_A_OFFSET     creator     192 + regionLength(RING_CAPACITY)
 *     32   32 reserved               creator     zero
 *    ---- side A state (one cache line, written only by side A) --------------------------------
 *     64    4 OUTPUT_SHUTDOWN        side A      1 = A writes no more: EOF for B once the A->B ring is drained
 *     68    4 CLOSED                 side A      1 = A closed its end (A reads no more; B's writes get EPIPE)
 *     72    4 ERROR                  side A      errno that broke the channel in A's view (EPROTO), or 0
 *     76   52 padding                            zero
 *    ---- side B state (one cache line, written only by side B) --------------------------------
 *    128    4 OUTPUT_SHUTDOWN        side B      as above, for B
 *    132    4 CLOSED                 side B
 *    136    4 ERROR                  side B
 *    140   52 padding
 *    ---- rings ---------------------------------------------------------------------------------
 *    192      ring A -> B            (StreamRingDescriptor layout, regionLength(RING_CAPACITY) bytes)
 *    192+L    ring B -> A            (L = regionLength(RING_CAPACITY), a multiple of 64)
 * </pre>
 *
 * <p><b>Side flags.</b> A side raises {@code OUTPUT_SHUTDOWN} (release) only after it has
 * published its last byte, so a peer that loads the flag (acquire) and then the ring's
 * {@code WRITE_INDEX} sees every byte. {@code CLOSED} implies {@code OUTPUT_SHUTDOWN}. The flags
 * change once per side and connection, so one cache line per side is enough; they only ever go
 * from 0 to non-zero, and each reader keeps what it saw (a peer lowering a flag again changes
 * nothing).
 *
 * <p><b>Eventfds</b> are not in the memory: each direction has a <em>data</em> eventfd (the
 * consumer polls it) and a <em>space</em> eventfd (a producer blocked on a full ring waits on it),
 * four per channel, each written only through its ring's doorbell counters (see
 * {@link StreamRingDescriptor}).
 *
 * <p>Not instantiable: constants and static helpers. Thread-safe.
 */
public final class StreamChannelDescriptor {

    /** The magic: the bytes 'F', 'C', 'H', 'N' read as a little-endian int. */
    public static final int MAGIC = 0x4E484346;
    /** The layout version this code writes and accepts. */
    public static final short VERSION = 1;

    /** Side A: the creator's end (the server's, across processes). Produces ring A -> B. */
    public static final int SIDE_A = 0;
    /** Side B: the other end. Produces ring B -> A. */
    public static final int SIDE_B = 1;

    /** Offset of {@code MAGIC}, int. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of {@code VERSION}, short. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of {@code HEADER_LENGTH}, short. */
    public static final int HEADER_LENGTH_OFFSET = 6;
    /** Offset of {@code RING_CAPACITY}, int. */
    public static final int RING_CAPACITY_OFFSET = 8;
    /** Offset of {@code RING_A_TO_B_OFFSET}, long. */
    public static final int RING_A_TO_B_OFFSET_OFFSET = 16;
    /** Offset of {@code RING_B_TO_A_OFFSET}, long. */
    public static final int RING_B_TO_A_OFFSET_OFFSET = 24;

    /** Start of side A's state line. */
    public static final int SIDE_A_STATE_OFFSET = StreamRingDescriptor.CACHE_LINE_LENGTH;
    /** Start of side B's state line. */
    public static final int SIDE_B_STATE_OFFSET = 2 * StreamRingDescriptor.CACHE_LINE_LENGTH;
    /** Offset of {@code OUTPUT_SHUTDOWN} within a side's state line, int. */
    public static final int OUTPUT_SHUTDOWN_FIELD = 0;
    /** Offset of {@code CLOSED} within a side's state line, int. */
    public static final int CLOSED_FIELD = 4;
    /** Offset of {@code ERROR} within a side's state line, int. */
    public static final int ERROR_FIELD = 8;

    /** Length of the channel header; the first ring starts here. */
    public static final int HEADER_LENGTH = 3 * StreamRingDescriptor.CACHE_LINE_LENGTH;

    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, BYTE_ORDER);
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, BYTE_ORDER);

    private StreamChannelDescriptor() {
    }

    /**
     * @return the bytes a channel with rings of {@code ringCapacity} occupies: the header and two
     *     ring regions, a multiple of 64
     * @throws IllegalArgumentException if the capacity is outside the ring's limits
     */
    public static int sizeFor(int ringCapacity) {
        long size = HEADER_LENGTH + 2L * StreamRingDescriptor.regionLength(ringCapacity);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("channel with ring capacity " + ringCapacity + " exceeds 2 GiB");
        }
        return (int) size;
    }

    /**
     * @param direction {@link #SIDE_A} for the ring A produces, {@link #SIDE_B} for the ring B
     *     produces
     * @return the ring's offset from the start of the channel region
     */
    public static int ringOffset(int ringCapacity, int direction) {
        checkSide(direction);
        return HEADER_LENGTH + direction * StreamRingDescriptor.regionLength(ringCapacity);
    }

    /** @return the offset of {@code side}'s state line. */
    public static int sideStateOffset(int side) {
        checkSide(side);
        return side == SIDE_A ? SIDE_A_STATE_OFFSET : SIDE_B_STATE_OFFSET;
    }

    /**
     * Formats a fresh channel at the start of {@code region}: both rings empty, both sides open;
     * the magic is written last with a release store. Call it before the region is shared.
     * Setup, not hot path.
     *
     * @param region direct, writable, 64-byte aligned, at least {@link #sizeFor(int)} bytes; its
     *     position and limit are ignored and unchanged
     * @throws IllegalArgumentException if region or capacity do not fit
     */
    public static void initialize(ByteBuffer region, int ringCapacity) {
        int size = sizeFor(ringCapacity);
        checkRegion(region, size);
        if (region.isReadOnly()) {
            throw new IllegalArgumentException("channel region must be writable");
        }
        for (int i = 0; i < HEADER_LENGTH; i += Long.BYTES) {
            LONG.set(region, i, 0L);
        }
        OneToOneByteRing.initialize(ringRegion(region, ringCapacity, SIDE_A), ringCapacity);
        OneToOneByteRing.initialize(ringRegion(region, ringCapacity, SIDE_B), ringCapacity);
        INT.set(region, RING_CAPACITY_OFFSET, ringCapacity);
        LONG.set(region, RING_A_TO_B_OFFSET_OFFSET, (long) ringOffset(ringCapacity, SIDE_A));
        LONG.set(region, RING_B_TO_A_OFFSET_OFFSET, (long) ringOffset(ringCapacity, SIDE_B));
        INT.set(region, VERSION_OFFSET, (HEADER_LENGTH << 16) | (VERSION & 0xFFFF));
        INT.setRelease(region, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Reads and checks the channel header (magic, version, header length, ring capacity against
     * the region, ring offsets equal to the computed ones). The rings' own headers are checked
     * when their views attach. Setup, not hot path.
     *
     * @return the ring capacity, which the caller caches: the header is never re-read
     * @throws IllegalArgumentException naming the first field that does not fit
     */
    public static int readRingCapacity(ByteBuffer region) {
        checkRegion(region, HEADER_LENGTH);
        int magic = (int) INT.getAcquire(region, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalArgumentException("bad channel magic 0x" + Integer.toHexString(magic));
        }
        int versionWord = (int) INT.get(region, VERSION_OFFSET);
        int version = versionWord & 0xFFFF;
        int headerLength = versionWord >>> 16;
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported channel version " + version + " (expected " + VERSION + ")");
        }
        if (headerLength != HEADER_LENGTH) {
            throw new IllegalArgumentException("bad channel header length " + headerLength + " (expected " + HEADER_LENGTH + ")");
        }
        int capacity = (int) INT.get(region, RING_CAPACITY_OFFSET);
        if (capacity < StreamRingDescriptor.MIN_CAPACITY || capacity > StreamRingDescriptor.MAX_CAPACITY) {
            throw new IllegalArgumentException("channel ring capacity " + capacity + " outside ["
                    + StreamRingDescriptor.MIN_CAPACITY + ", " + StreamRingDescriptor.MAX_CAPACITY + "]");
        }
        long size = HEADER_LENGTH + 2L * StreamRingDescriptor.regionLength(capacity);
        if (size > region.capacity()) {
            throw new IllegalArgumentException("channel of ring capacity " + capacity + " needs " + size
                    + " bytes, the region has " + region.capacity());
        }
        long aToB = (long) LONG.get(region, RING_A_TO_B_OFFSET_OFFSET);
        long bToA = (long) LONG.get(region, RING_B_TO_A_OFFSET_OFFSET);
        if (aToB != ringOffset(capacity, SIDE_A) || bToA != ringOffset(capacity, SIDE_B)) {
            throw new IllegalArgumentException("bad channel ring offsets " + aToB + ", " + bToA + " (expected "
                    + ringOffset(capacity, SIDE_A) + ", " + ringOffset(capacity, SIDE_B) + ")");
        }
        return capacity;
    }

    /**
     * @return a view of the ring {@code direction} produces (index 0 = its descriptor), for
     *     {@link OneToOneByteRing#producer(ByteBuffer)} / {@link OneToOneByteRing#consumer(ByteBuffer)}
     */
    public static ByteBuffer ringRegion(ByteBuffer region, int ringCapacity, int direction) {
        return region.slice(ringOffset(ringCapacity, direction), StreamRingDescriptor.regionLength(ringCapacity));
    }

    /**
     * Closes {@code side} on behalf of a peer that can no longer do it (its process died): stores
     * {@code ERROR = error}, {@code OUTPUT_SHUTDOWN = 1} and {@code CLOSED = 1} in that side's
     * line (release), so the surviving side reads the remaining bytes, then end of stream, and its
     * writes fail with {@code EPIPE}. The caller then rings the survivor's doorbells. Used by the
     * server, which maps every channel; never on a side that is still alive.
     */
    public static void markSideGone(ByteBuffer region, int side, int error) {
        int state = sideStateOffset(side);
        checkRegion(region, HEADER_LENGTH);
        INT.setRelease(region, state + ERROR_FIELD, error);
        INT.setRelease(region, state + OUTPUT_SHUTDOWN_FIELD, 1);
        INT.setRelease(region, state + CLOSED_FIELD, 1);
    }

    /** @return {@code side}'s {@code CLOSED} flag as last stored (acquire), for statistics. */
    public static boolean isSideClosed(ByteBuffer region, int side) {
        return (int) INT.getAcquire(region, sideStateOffset(side) + CLOSED_FIELD) != 0;
    }

    private static void checkSide(int side) {
        if (side != SIDE_A && side != SIDE_B) {
            throw new IllegalArgumentException("side must be SIDE_A (0) or SIDE_B (1): " + side);
        }
    }

    private static void checkRegion(ByteBuffer region, int size) {
        if (!region.isDirect()) {
            throw new IllegalArgumentException("channel region must be a direct buffer");
        }
        if (region.capacity() < size) {
            throw new IllegalArgumentException("channel region of " + region.capacity() + " bytes, " + size + " needed");
        }
        if (region.alignmentOffset(0, StreamRingDescriptor.CACHE_LINE_LENGTH) != 0) {
            throw new IllegalArgumentException("channel region must start on a "
                    + StreamRingDescriptor.CACHE_LINE_LENGTH + "-byte boundary");
        }
    }
}
