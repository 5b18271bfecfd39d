package io.ferry.testkit;

import java.nio.ByteBuffer;

/**
 * A deterministic, non-repeating byte stream: the byte at any offset of the stream is a function
 * of a seed and the offset, so a receiver can check every byte in place (and name the first wrong
 * offset) without keeping a copy of what was sent. Reordered, lost or duplicated bytes all show
 * as a mismatch, because nearby offsets never repeat a pattern.
 *
 * <p>Immutable; any thread.
 */
public final class BytePattern {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;

    /** @param seed selects the stream; two different seeds give unrelated streams */
    public BytePattern(long seed) {
        this.seed = seed;
    }

    /** @return the seed. */
    public long seed() {
        return seed;
    }

    /** @return the byte at {@code offset} (>= 0) of the stream. */
    public byte byteAt(long offset) {
        return (byte) (word(offset >>> 3) >>> ((offset & 7) << 3));
    }

    /**
     * Fills the remaining bytes of {@code dst} with the stream starting at {@code offset}, and
     * advances its position to its limit.
     */
    public void fill(ByteBuffer dst, long offset) {
        long off = offset;
        long w = word(off >>> 3);
        while (dst.hasRemaining()) {
            int shift = (int) (off & 7);
            if (shift == 0) {
                w = word(off >>> 3);
            }
            dst.put((byte) (w >>> (shift << 3)));
            off++;
        }
    }

    /** @return {@code length} bytes of the stream starting at {@code offset}. */
    public byte[] bytes(long offset, int length) {
        byte[] out = new byte[length];
        fill(ByteBuffer.wrap(out), offset);
        return out;
    }

    /**
     * Compares the remaining bytes of {@code data} (its position is not changed) with the stream
     * starting at {@code offset}.
     *
     * @return -1 if all match, or the stream offset of the first byte that does not
     */
    public long mismatch(ByteBuffer data, long offset) {
        int pos = data.position();
        int end = data.limit();
        long off = offset;
        long w = word(off >>> 3);
        for (int i = pos; i < end; i++, off++) {
            int shift = (int) (off & 7);
            if (shift == 0) {
                w = word(off >>> 3);
            }
            if (data.get(i) != (byte) (w >>> (shift << 3))) {
                return off;
            }
        }
        return -1;
    }

    private long word(long index) {
        // SplitMix64 finaliser over (seed, index): cheap, and no short period.
        long z = seed + (index + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "BytePattern[seed " + seed + "]";
    }
}
