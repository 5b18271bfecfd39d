package io.ferry.core.selftest;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of echo self-test messages, and the arithmetic on round-trip times. Each message's
 * content depends on its stream (connection) and sequence number, so a byte echoed to the wrong
 * connection, out of order or corrupted is found at its exact offset.
 *
 * <p>Stateless; any thread.
 */
public final class EchoPattern {
    private EchoPattern() {
    }

    /** @return the byte at {@code index} of message {@code seq} on stream {@code stream}. */
    public static byte expected(int stream, long seq, int index) {
        long x = index * 31L + seq * 17L + stream * 101L + (index >>> 8);
        return (byte) (x ^ (x >>> 7));
    }

    /**
     * Writes message {@code seq} of {@code size} bytes at {@code dst}'s position and advances it.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less than {@code size} remaining
     */
    public static void fill(ByteBuffer dst, int stream, long seq, int size) {
        if (dst.remaining() < size) {
            throw new java.nio.BufferOverflowException();
        }
        int base = dst.position();
        for (int i = 0; i < size; i++) {
            dst.put(base + i, expected(stream, seq, i));
        }
        dst.position(base + size);
    }

    /**
     * Checks bytes {@code from} (inclusive) to {@code to} (exclusive) of message {@code seq}, held in
     * {@code src} at absolute positions {@code from..to}; position and limit are not used or changed.
     *
     * @return the offset of the first wrong byte, or -1 when all match
     */
    public static int firstMismatch(ByteBuffer src, int from, int to, int stream, long seq) {
        for (int i = from; i < to; i++) {
            if (src.get(i) != expected(stream, seq, i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Nearest-rank percentile of sorted values.
     *
     * @param sorted values in ascending order, not empty
     * @param percent 0 (exclusive) to 100 (inclusive)
     */
    public static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** @return the median of unsorted values (the array is not changed). */
    public static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return percentile(copy, 50);
    }
}
