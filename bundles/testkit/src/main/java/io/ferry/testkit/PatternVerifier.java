package io.ferry.testkit;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Checks a received stream against a {@link BytePattern} as it arrives: counts bytes, keeps a
 * CRC-32C, and remembers the stream offset of the first wrong byte.
 *
 * <p>Not thread-safe: feed it on one thread (the receiving socket's event loop); read the results
 * after a happens-before edge such as completing a future.
 */
public final class PatternVerifier {
    private final BytePattern pattern;
    private final CRC32C crc = new CRC32C();
    private long received;
    private long firstMismatch = -1;

    public PatternVerifier(BytePattern pattern) {
        this.pattern = pattern;
    }

    /** Checks and counts the remaining bytes of {@code data}; its position is not changed. */
    public void accept(ByteBuffer data) {
        if (firstMismatch < 0) {
            firstMismatch = pattern.mismatch(data, received);
        }
        crc.update(data.duplicate());
        received += data.remaining();
    }

    /** @return bytes received so far. */
    public long received() {
        return received;
    }

    /** @return the stream offset of the first wrong byte, or -1 if every byte so far was right. */
    public long firstMismatch() {
        return firstMismatch;
    }

    /** @return the CRC-32C of every byte received so far. */
    public long crc() {
        return crc.getValue();
    }

    /** @return true if exactly {@code expected} bytes arrived and every one was right. */
    public boolean isIntact(long expected) {
        return received == expected && firstMismatch < 0;
    }

    /** @return a one-line description for assertion messages. */
    public String describe() {
        return "received " + received + " bytes, crc32c " + Long.toHexString(crc.getValue())
                + (firstMismatch < 0 ? ", all as expected" : ", first wrong byte at offset " + firstMismatch);
    }

    @Override
    public String toString() {
        return "PatternVerifier[" + describe() + "]";
    }
}
