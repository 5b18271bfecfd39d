package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ceph's own crc32c test vectors (src/test/common/test_crc32c.cc) and the two code paths agreeing. */
class Crc32cTest {

    private static int ceph(int seed, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Crc32c.compute(seed, b, 0, b.length);
    }

    @Test
    void shouldMatchCephSmallVectorsWithAndWithoutSeed() {
        assertEquals(4119623852L, Integer.toUnsignedLong(ceph(0, "foo bar baz")));
        assertEquals(881700046L, Integer.toUnsignedLong(ceph(1234, "foo bar baz")));
        assertEquals(2360230088L, Integer.toUnsignedLong(ceph(0, "whiz bang boom")));
        assertEquals(3743019208L, Integer.toUnsignedLong(ceph(5678, "whiz bang boom")));
    }

    @Test
    void shouldMatchCephBigVectorThroughTheIntrinsicPath() {
        byte[] a = new byte[4096000];
        Arrays.fill(a, (byte) 1);
        assertEquals(31583199L, Integer.toUnsignedLong(Crc32c.compute(0, a, 0, a.length)));
    }

    @Test
    void tableAndIntrinsicPathsShouldAgreeForEveryLengthAndSeed() {
        Random random = new Random(7);
        for (int len = 0; len < 600; len += 7) {
            byte[] b = new byte[len];
            random.nextBytes(b);
            int seed = random.nextInt();
            int slow = seed;
            for (byte x : b) {
                slow = bytewise(slow, x);
            }
            assertEquals(slow, Crc32c.compute(seed, b, 0, len), "length " + len);
        }
    }

    @Test
    void shouldChainOverBufferListSegments() {
        byte[] whole = "foo bar baz".getBytes(StandardCharsets.US_ASCII);
        BufferList list = new BufferList();
        list.append(ByteBuffer.wrap(whole, 0, 4));
        list.append(ByteBuffer.wrap(whole, 4, 7));
        assertEquals(Crc32c.compute(0, whole, 0, whole.length), Crc32c.of(0, list));
        assertEquals(11, list.length(), "computing a crc consumes nothing");
    }

    private static int bytewise(int crc, byte b) {
        crc ^= b & 0xFF;
        for (int k = 0; k < 8; k++) {
            crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
        }
        return crc;
    }
}
