package io.ferry.messenger.wire;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) as Ceph's {@code ceph_crc32c(seed, data, len)} computes it: the register
 * starts at {@code seed} and is neither inverted before nor after. {@link CRC32C} of the JDK starts
 * at ~0 and inverts at the end; the CRC register is linear, so for long inputs we let the JDK's
 * intrinsic do the bulk work and correct its result with the "shift by n zero bytes" operator
 * ({@code raw(s, d) = jdk(d) ^ ~shift(~0, n) ^ shift(s, n)}). {@code shift(~0, n)} comes from a
 * table for {@code n} below {@value #SHIFT_TABLE_SIZE} (every header, footer and small section), so
 * a seed-0 crc of a short input costs the intrinsic plus one load; inputs of a few bytes use the
 * byte table. A list of segments is fed to the intrinsic as one stream and corrected once; the
 * crcs of consecutive runs combine without a pass over them ({@link #concat}).
 *
 * <p>Stateless (a per-thread {@link CRC32C}); any thread.
 */
public final class Crc32c {
    private static final int POLY = 0x82F63B78;
    private static final int[] TABLE = new int[256];
    /** ZERO_BYTES[k] is the GF(2) operator that feeds 2^k zero bytes through the register. */
    private static final int[][] ZERO_BYTES = new int[64][];
    /** Below this many bytes the byte table beats a call of the intrinsic. */
    private static final int TABLE_LIMIT = 16;
    /** Lengths with a precomputed {@code shift(~0, n)}. */
    static final int SHIFT_TABLE_SIZE = 8 * 1024 + 1;
    /** ONES_SHIFTED[n] = shift(~0, n): the all-ones register after n zero bytes. */
    private static final int[] ONES_SHIFTED = new int[SHIFT_TABLE_SIZE];
    private static final ThreadLocal<CRC32C> JDK = ThreadLocal.withInitial(CRC32C::new);

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            TABLE[i] = c;
        }
        int[] oneBit = new int[32];
        oneBit[0] = POLY;
        for (int i = 1; i < 32; i++) {
            oneBit[i] = 1 << (i - 1);
        }
        int[] op = oneBit;
        for (int i = 0; i < 3; i++) {
            op = square(op);
        }
        ZERO_BYTES[0] = op;
        for (int k = 1; k < 64; k++) {
            ZERO_BYTES[k] = square(ZERO_BYTES[k - 1]);
        }
        int ones = ~0;
        for (int n = 0; n < SHIFT_TABLE_SIZE; n++) {
            ONES_SHIFTED[n] = ones;
            ones = TABLE[ones & 0xFF] ^ (ones >>> 8);
        }
    }

    private Crc32c() {
    }

    /** @return Ceph's crc32c of {@code len} bytes of {@code buf} from {@code offset}, starting at {@code seed}. */
    public static int update(int seed, ByteBuffer buf, int offset, int len) {
        if (len < TABLE_LIMIT) {
            return bytewise(seed, buf, offset, len);
        }
        CRC32C jdk = JDK.get();
        jdk.reset();
        feed(jdk, buf, offset, len);
        return correct(jdk, seed, len);
    }

    /** @return Ceph's crc32c of {@code len} bytes of the array from {@code offset}, starting at {@code seed}. */
    public static int compute(int seed, byte[] bytes, int offset, int len) {
        if (len < TABLE_LIMIT) {
            int crc = seed;
            for (int i = 0; i < len; i++) {
                crc = TABLE[(crc ^ bytes[offset + i]) & 0xFF] ^ (crc >>> 8);
            }
            return crc;
        }
        CRC32C jdk = JDK.get();
        jdk.reset();
        jdk.update(bytes, offset, len);
        return correct(jdk, seed, len);
    }

    /** @return Ceph's crc32c over every byte of {@code list}, without consuming it. */
    public static int of(int seed, BufferList list) {
        int segments = list.segmentCount();
        if (segments == 0) {
            return seed;
        }
        if (segments == 1 || list.length() < TABLE_LIMIT) {
            int crc = seed;
            for (int i = 0; i < segments; i++) {
                ByteBuffer seg = list.segment(i);
                crc = update(crc, seg, seg.position(), seg.remaining());
            }
            return crc;
        }
        // one stream through the intrinsic, one correction for the total length
        CRC32C jdk = JDK.get();
        jdk.reset();
        for (int i = 0; i < segments; i++) {
            ByteBuffer seg = list.segment(i);
            feed(jdk, seg, seg.position(), seg.remaining());
        }
        return correct(jdk, seed, list.length());
    }

    /**
     * @return the crc32c (seed 0) of bytes A followed by bytes B, from the crc32c (seed 0) of each:
     *     {@code raw(0, A|B) = raw(raw(0, A), B) = raw(0, B) ^ shift(raw(0, A), |B|)}; a few matrix
     *     products, not a pass over the bytes
     */
    static int concat(int crcOfFirst, int crcOfSecond, long secondLength) {
        return crcOfSecond ^ shift(crcOfFirst, secondLength);
    }

    private static int bytewise(int seed, ByteBuffer buf, int offset, int len) {
        int crc = seed;
        for (int i = 0; i < len; i++) {
            crc = TABLE[(crc ^ buf.get(offset + i)) & 0xFF] ^ (crc >>> 8);
        }
        return crc;
    }

    /**
     * Feeds {@code len} bytes from {@code offset}. A direct buffer's window is moved for the call
     * and put back (no duplicate allocated per call): the caller's thread is the only one using
     * that buffer object, as for any section of a message.
     */
    private static void feed(CRC32C jdk, ByteBuffer buf, int offset, int len) {
        if (buf.hasArray()) {
            jdk.update(buf.array(), buf.arrayOffset() + offset, len);
            return;
        }
        int position = buf.position();
        int limit = buf.limit();
        try {
            buf.limit(offset + len).position(offset);
            jdk.update(buf);
        } finally {
            buf.limit(limit).position(position);
        }
    }

    /**
     * The JDK's register started at ~0 and its value is inverted: {@code ~value = raw(~0, d) =
     * raw(0, d) ^ shift(~0, n)}, and {@code raw(s, d) = raw(0, d) ^ shift(s, n)}.
     */
    private static int correct(CRC32C jdk, int seed, long len) {
        int fromAllOnes = ~(int) jdk.getValue();
        int onesShifted = len < SHIFT_TABLE_SIZE ? ONES_SHIFTED[(int) len] : shift(~0, len);
        return fromAllOnes ^ onesShifted ^ shift(seed, len);
    }

    /** @return the register after feeding {@code zeroBytes} zero bytes to a register holding {@code crc}. */
    static int shift(int crc, long zeroBytes) {
        int k = 0;
        long n = zeroBytes;
        while (n != 0 && crc != 0) {
            if ((n & 1) != 0) {
                crc = times(ZERO_BYTES[k], crc);
            }
            n >>>= 1;
            k++;
        }
        return crc;
    }

    private static int times(int[] mat, int vec) {
        int sum = 0;
        for (int i = 0; vec != 0; i++, vec >>>= 1) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
        }
        return sum;
    }

    private static int[] square(int[] mat) {
        int[] out = new int[32];
        for (int i = 0; i < 32; i++) {
            out[i] = times(mat, mat[i]);
        }
        return out;
    }
}
