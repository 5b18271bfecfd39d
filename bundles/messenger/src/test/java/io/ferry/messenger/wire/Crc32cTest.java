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

    /** A section's crc from its segments' crcs (a large payload's pieces), at any split. */
    @Test
    void shouldConcatenateCrcsOfConsecutiveRuns() {
        Random random = new Random(11);
        byte[] whole = new byte[70_000];
        random.nextBytes(whole);
        int[] cuts = {0, 1, 15, 16, 999, 1000, 4096, 8193, 65_536, 69_999, 70_000};
        for (int cut : cuts) {
            int first = Crc32c.compute(0, whole, 0, cut);
            int second = Crc32c.compute(0, whole, cut, whole.length - cut);
            assertEquals(Crc32c.compute(0, whole, 0, whole.length), Crc32c.concat(first, second, whole.length - cut),
                    "cut at " + cut);
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

    @Test
    void shouldAgreeWithTheBitwiseDefinitionAroundTheShiftTableEnd() {
        Random random = new Random(11);
        int[] lengths = {15, 16, 17, 49, 53, 64, 4096, Crc32c.SHIFT_TABLE_SIZE - 1, Crc32c.SHIFT_TABLE_SIZE,
            Crc32c.SHIFT_TABLE_SIZE + 1, 3 * Crc32c.SHIFT_TABLE_SIZE + 5};
        for (int len : lengths) {
            byte[] b = new byte[len + 3];
            random.nextBytes(b);
            for (int seed : new int[] {0, -1, random.nextInt()}) {
                int slow = seed;
                for (int i = 3; i < len + 3; i++) {
                    slow = bytewise(slow, b[i]);
                }
                assertEquals(slow, Crc32c.compute(seed, b, 3, len), "array, length " + len + " seed " + seed);
                assertEquals(slow, Crc32c.update(seed, ByteBuffer.wrap(b), 3, len), "heap buffer, length " + len);
                ByteBuffer direct = ByteBuffer.allocateDirect(b.length).put(b).flip();
                assertEquals(slow, Crc32c.update(seed, direct, 3, len), "direct buffer, length " + len);
            }
        }
    }

    @Test
    void shouldChainOverManyHeapAndDirectSegmentsWithASeed() {
        Random random = new Random(13);
        for (int round = 0; round < 200; round++) {
            int segments = 1 + random.nextInt(6);
            BufferList list = new BufferList();
            int seed = round % 3 == 0 ? 0 : random.nextInt();
            int slow = seed;
            for (int k = 0; k < segments; k++) {
                byte[] b = new byte[random.nextInt(round % 2 == 0 ? 40 : 9000)];
                random.nextBytes(b);
                for (byte x : b) {
                    slow = bytewise(slow, x);
                }
                list.append(k % 2 == 0 ? ByteBuffer.wrap(b) : ByteBuffer.allocateDirect(b.length).put(b).flip());
            }
            long before = list.length();
            assertEquals(slow, Crc32c.of(seed, list), "round " + round);
            assertEquals(before, list.length(), "computing a crc consumes nothing");
        }
    }

    private static int bytewise(int crc, byte b) {
        crc ^= b & 0xFF;
        for (int k = 0; k < 8; k++) {
            crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
        }
        return crc;
    }
}
