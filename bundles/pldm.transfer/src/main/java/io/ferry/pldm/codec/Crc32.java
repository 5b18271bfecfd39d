package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * The CRC-32 PLDM uses for data integrity (DSP0240 GetPLDMVersion, the IBM file attribute table,
 * MultipartReceive): IEEE 802.3, reflected polynomial 0xEDB88320, initial value and final XOR
 * 0xFFFFFFFF — the same function as {@link java.util.zip.CRC32} and libpldm's
 * {@code pldm_edac_crc32}. Works on absolute indexes of a {@link ByteBuffer} (it never moves the
 * buffer's position, unlike {@code CRC32.update(ByteBuffer)}) and allocates nothing.
 *
 * <p>Stateless: any thread may call it.
 */
public final class Crc32 {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {
    }

    /**
     * The CRC-32 of {@code length} bytes from {@code index}, as an unsigned value in a long.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the buffer's limit (a
     *         programming error: callers check lengths from the wire first)
     */
    public static long compute(ByteBuffer buffer, int index, int length) {
        return update(0, buffer, index, length);
    }

    /**
     * Continues a CRC-32 over more bytes: {@code update(compute(b, 0, n), b, n, m)} equals
     * {@code compute(b, 0, n + m)}.
     *
     * @param crc the CRC-32 of the bytes before (0 for none)
     */
    public static long update(long crc, ByteBuffer buffer, int index, int length) {
        java.util.Objects.checkFromIndexSize(index, length, buffer.limit());
        int c = ~(int) crc;
        final int end = index + length;
        for (int i = index; i < end; i++) {
            c = TABLE[(c ^ buffer.get(i)) & 0xFF] ^ (c >>> 8);
        }
        return (~c) & 0xFFFF_FFFFL;
    }
}
