package io.ferry.core.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EchoPatternTest {

    @Test
    void shouldVerifyWhatItFilled() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        EchoPattern.fill(buf, 3, 17, 4096);

        assertEquals(4096, buf.position());
        assertEquals(-1, EchoPattern.firstMismatch(buf, 0, 4096, 3, 17));
    }

    @Test
    void shouldFindTheOffsetOfACorruptedByte() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        EchoPattern.fill(buf, 0, 5, 64);
        buf.put(41, (byte) (buf.get(41) ^ 0x10));

        assertEquals(41, EchoPattern.firstMismatch(buf, 0, 64, 0, 5));
        assertEquals(-1, EchoPattern.firstMismatch(buf, 0, 41, 0, 5));
    }

    @Test
    void shouldTellMessagesAndStreamsApart() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        EchoPattern.fill(buf, 1, 9, 64);

        assertNotEquals(-1, EchoPattern.firstMismatch(buf, 0, 64, 1, 10), "the next message");
        assertNotEquals(-1, EchoPattern.firstMismatch(buf, 0, 64, 2, 9), "another connection");
    }

    @Test
    void shouldCheckOnlyTheRangeAskedFor() {
        ByteBuffer buf = ByteBuffer.allocate(100);
        buf.position(10);
        EchoPattern.fill(buf.slice(), 0, 0, 50);
        ByteBuffer view = buf.slice();

        assertEquals(-1, EchoPattern.firstMismatch(view, 20, 50, 0, 0));
    }

    @Test
    void shouldRefuseToOverflowTheBuffer() {
        assertThrows(BufferOverflowException.class, () -> EchoPattern.fill(ByteBuffer.allocate(10), 0, 0, 11));
    }

    @Test
    void shouldComputeNearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }

        assertEquals(50, EchoPattern.percentile(sorted, 50));
        assertEquals(99, EchoPattern.percentile(sorted, 99));
        assertEquals(100, EchoPattern.percentile(sorted, 100));
        assertEquals(1, EchoPattern.percentile(new long[] {1}, 99));
        assertEquals(3, EchoPattern.median(new long[] {5, 1, 3, 4, 2}));
    }

    @Test
    void shouldRefuseEmptyInputsAndBadPercents() {
        assertThrows(IllegalArgumentException.class, () -> EchoPattern.percentile(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> EchoPattern.percentile(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> EchoPattern.percentile(new long[] {1}, 101));
    }
}
