package io.ferry.pldm.codec;

/**
 * The DSP0240 {@code ver32} version encoding, held in a Java {@code int} exactly as it is read
 * little-endian from the wire: bits 31..24 major, 23..16 minor, 15..8 update, 7..0 alpha. On the
 * wire that puts alpha first: version 1.0.0 is {@code 0xF1F0F000}, bytes {@code 00 f0 f0 f1}.
 *
 * <p>Each of major, minor and update is BCD: a value below 10 is {@code 0xF0 | value}, 10..99 is
 * two BCD digits; an update of {@code 0xFF} means "no update field". Alpha is an ASCII letter or 0.
 * Stateless: any thread may call it.
 */
public final class Ver32 {
    /** Version 1.0.0 with no alpha: {@code 0xF1F0F000}. */
    public static final int V1_0_0 = of(1, 0, 0, 0);

    private Ver32() {
    }

    /**
     * Encodes a version.
     *
     * @param major 0..99
     * @param minor 0..99
     * @param update 0..99, or -1 for "no update field" (0xFF)
     * @param alpha 0 or an ASCII character
     * @throws IllegalArgumentException for values outside those ranges (versions are built from
     *         configuration, never from the wire)
     */
    public static int of(int major, int minor, int update, int alpha) {
        if (alpha < 0 || alpha > 0x7F) {
            throw new IllegalArgumentException("alpha " + alpha);
        }
        int updateByte = update == -1 ? 0xFF : bcd(update);
        return bcd(major) << 24 | bcd(minor) << 16 | updateByte << 8 | alpha;
    }

    /** The major field byte (BCD). */
    public static int major(int ver32) {
        return ver32 >>> 24;
    }

    /** The minor field byte (BCD). */
    public static int minor(int ver32) {
        return (ver32 >>> 16) & 0xFF;
    }

    /** The update field byte (BCD, 0xFF when absent). */
    public static int update(int ver32) {
        return (ver32 >>> 8) & 0xFF;
    }

    /** The alpha byte (0 when absent). */
    public static int alpha(int ver32) {
        return ver32 & 0xFF;
    }

    /** Human-readable form such as {@code 1.0.0} or {@code 1.2a}; allocates, for logs only. */
    public static String toString(int ver32) {
        StringBuilder sb = new StringBuilder(12);
        appendBcd(sb, major(ver32)).append('.');
        appendBcd(sb, minor(ver32));
        if (update(ver32) != 0xFF) {
            appendBcd(sb.append('.'), update(ver32));
        }
        if (alpha(ver32) != 0) {
            sb.append((char) alpha(ver32));
        }
        return sb.toString();
    }

    private static int bcd(int value) {
        if (value < 0 || value > 99) {
            throw new IllegalArgumentException("version field " + value + " is not 0..99");
        }
        return value < 10 ? 0xF0 | value : (value / 10) << 4 | (value % 10);
    }

    private static StringBuilder appendBcd(StringBuilder sb, int field) {
        int high = field >>> 4;
        if (high != 0xF) {
            sb.append(Character.forDigit(high, 16));
        }
        return sb.append(Character.forDigit(field & 0xF, 16));
    }
}
