package io.ferry.testkit;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Produces a {@link BytePattern} stream as {@link BufferList}s of many segments of random sizes,
 * alternating heap and direct memory, so that senders exercise gathering writes and both kinds of
 * buffer. Remembers how much it produced and the CRC-32C of it.
 *
 * <p>Not thread-safe: use it on one thread (normally the sending socket's event loop).
 */
public final class PatternSource {
    private final BytePattern pattern;
    private final long total;
    private final int maxSegment;
    private final Random sizes;
    private final CRC32C crc = new CRC32C();
    private long produced;
    private long segments;

    /**
     * @param pattern the stream to produce
     * @param total how many bytes to produce in all ({@link Long#MAX_VALUE} for an endless stream)
     * @param maxSegment the largest segment, >= 1; sizes are drawn from 1..maxSegment, biased to small
     * @param sizeSeed seeds the segment sizes, so a failure can be replayed
     */
    public PatternSource(BytePattern pattern, long total, int maxSegment, long sizeSeed) {
        if (total < 0 || maxSegment < 1) {
            throw new IllegalArgumentException("total " + total + ", maxSegment " + maxSegment);
        }
        this.pattern = pattern;
        this.total = total;
        this.maxSegment = maxSegment;
        this.sizes = new Random(sizeSeed);
    }

    /**
     * @return the next up to {@code maxBytes} bytes of the stream as a list of segments (empty
     *     when the stream is finished)
     */
    public BufferList next(long maxBytes) {
        BufferList out = new BufferList();
        long want = Math.min(maxBytes, total - produced);
        while (want > 0) {
            int size = (int) Math.min(want, segmentSize());
            ByteBuffer seg = (segments & 1) == 0 ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
            pattern.fill(seg, produced);
            seg.flip();
            crc.update(seg.duplicate());
            out.append(seg);
            produced += size;
            want -= size;
            segments++;
        }
        return out;
    }

    private int segmentSize() {
        // A quarter tiny (1..64 bytes), the rest spread over the whole range.
        if (sizes.nextInt(4) == 0) {
            return 1 + sizes.nextInt(Math.min(64, maxSegment));
        }
        return 1 + sizes.nextInt(maxSegment);
    }

    /** @return bytes produced so far. */
    public long produced() {
        return produced;
    }

    /** @return bytes still to produce. */
    public long remaining() {
        return total - produced;
    }

    /** @return segments produced so far. */
    public long segments() {
        return segments;
    }

    /** @return the CRC-32C of every byte produced so far. */
    public long crc() {
        return crc.getValue();
    }

    /** @return the pattern this source produces. */
    public BytePattern pattern() {
        return pattern;
    }
}
