package io.ferry.messenger.wire;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) as Ceph's {@code ceph_crc32c(seed, data, len)} computes it: the register
 * starts at {@code seed} and is neither inverted before nor after. {@link CRC32C} of the JDK starts
 * at ~0 and inverts at the end; the CRC register is linear, so for long inputs we let the JDK's
 * intrinsic do the bulk work and correct its result with the "shift by n zero bytes" operator
 * ({@code raw(s, d) = jdk(d) ^ ~shift(~0, n) ^ shift(s, n)}); short inputs use a table.
 *
 * <p>Stateless; any thread.
 */
public final class Crc32c {
    private static final int POLY = 0x82F63B78;
    private static final int[] TABLE = new int[256];
    /** ZERO_BYTES[k] is the GF(2) operator that feeds 2^k zero bytes through the register. */
    private static final int[][] ZERO_BYTES = new int[64][];
    /** Below this many bytes the table loop beats the intrinsic plus the correction. */
    private static final int TABLE_LIMIT = 128;
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
    }

    private Crc32c() {
    }

    /** @return Ceph's crc32c of {@code len} bytes of {@code buf} from {@code offset}, starting at {@code seed}. */
    public static int update(int seed, ByteBuffer buf, int offset, int len) {
        if (len < TABLE_LIMIT) {
            int crc = seed;
            for (int i = 0; i < len; i++) {
                crc = TABLE[(crc ^ buf.get(offset + i)) & 0xFF] ^ (crc >>> 8);
            }
            return crc;
        }
        CRC32C jdk = JDK.get();
        jdk.reset();
        jdk.update(buf.duplicate().limit(offset + len).position(offset));
        int fromAllOnes = ~(int) jdk.getValue();
        // fromAllOnes = raw(~0, d) = raw(0, d) ^ shift(~0, n)
        return fromAllOnes ^ shift(~0, len) ^ shift(seed, len);
    }

    /** @return Ceph's crc32c of the whole array. */
    public static int compute(int seed, byte[] bytes, int offset, int len) {
        return update(seed, ByteBuffer.wrap(bytes), offset, len);
    }

    /** @return Ceph's crc32c over every byte of {@code list}, without consuming it. */
    public static int of(int seed, BufferList list) {
        int crc = seed;
        for (int i = 0; i < list.segmentCount(); i++) {
            ByteBuffer seg = list.segment(i);
            crc = update(crc, seg, seg.position(), seg.remaining());
        }
        return crc;
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
