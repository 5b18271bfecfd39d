package io.ferry.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The byte patterns the contract suites check streams with: if these were wrong, every transfer test would be vacuous. */
class PatternTest {

    @Test
    void fillAndBytesAgreeWithByteAtAtEveryOffsetAndAlignment() {
        BytePattern p = new BytePattern(17);
        for (long start : new long[] {0, 1, 7, 8, 9, 1_000_003, (1L << 40) + 5}) {
            byte[] b = p.bytes(start, 37);
            ByteBuffer direct = ByteBuffer.allocateDirect(37);
            p.fill(direct, start);
            assertFalse(direct.hasRemaining(), "fill advances to the limit");
            for (int i = 0; i < 37; i++) {
                assertEquals(p.byteAt(start + i), b[i], "offset " + (start + i));
                assertEquals(b[i], direct.get(i));
            }
        }
    }

    @Test
    void streamsDoNotRepeatAtShortShiftsNorAcrossSeeds() {
        BytePattern p = new BytePattern(1);
        ByteBuffer first = ByteBuffer.wrap(p.bytes(0, 4096));
        for (long shift : new long[] {1, 2, 3, 8, 16, 64, 255, 256, 4096, 65536, 1 << 20}) {
            assertNotEquals(-1, p.mismatch(first, shift), "the stream repeats after " + shift + " bytes");
        }
        assertNotEquals(-1, new BytePattern(2).mismatch(first, 0), "two seeds give the same stream");
    }

    @Test
    void mismatchFindsTheFirstWrongByteAndLeavesThePosition() {
        BytePattern p = new BytePattern(5);
        byte[] data = p.bytes(100, 64);
        ByteBuffer buf = ByteBuffer.wrap(data);
        buf.position(3);
        assertEquals(-1, p.mismatch(buf, 103));
        data[40]++;
        assertEquals(140, p.mismatch(buf, 103));
        assertEquals(3, buf.position());
    }

    @Test
    void sourceProducesExactlyTheStreamInManyMixedSegments() {
        BytePattern p = new BytePattern(9);
        PatternSource source = new PatternSource(p, 300_000, 5000, 1);
        BufferList all = new BufferList();
        boolean heap = false;
        boolean direct = false;
        int maxSegments = 0;
        while (source.remaining() > 0) {
            BufferList chunk = source.next(64 << 10);
            assertTrue(chunk.length() > 0 && chunk.length() <= 64 << 10);
            maxSegments = Math.max(maxSegments, chunk.segmentCount());
            for (int i = 0; i < chunk.segmentCount(); i++) {
                int size = chunk.segment(i).remaining();
                assertTrue(size >= 1 && size <= 5000, "segment size " + size);
                heap |= !chunk.segment(i).isDirect();
                direct |= chunk.segment(i).isDirect();
            }
            all.append(chunk);
        }
        assertTrue(source.next(100).isEmpty(), "a finished source produces nothing");
        assertEquals(300_000, source.produced());
        assertTrue(heap && direct, "segments of both kinds");
        assertTrue(maxSegments >= 16, "chunks are made of many segments: " + maxSegments);
        byte[] bytes = all.toByteArray();
        assertEquals(-1, p.mismatch(ByteBuffer.wrap(bytes), 0));
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        assertEquals(crc.getValue(), source.crc());
    }

    @Test
    void verifierAcceptsTheStreamInAnySplitAndPinpointsCorruptionLossAndDuplication() {
        BytePattern p = new BytePattern(3);
        byte[] stream = p.bytes(0, 100_000);
        Random random = new Random(4);

        PatternVerifier ok = feed(p, stream, random);
        assertTrue(ok.isIntact(100_000), ok.describe());
        CRC32C crc = new CRC32C();
        crc.update(stream);
        assertEquals(crc.getValue(), ok.crc());
        assertFalse(ok.isIntact(100_001), "a short stream is not intact");

        byte[] corrupted = stream.clone();
        corrupted[54_321] ^= 1;
        PatternVerifier bad = feed(p, corrupted, random);
        assertEquals(54_321, bad.firstMismatch());
        assertFalse(bad.isIntact(100_000));

        byte[] lost = new byte[stream.length - 1];
        System.arraycopy(stream, 0, lost, 0, 777);
        System.arraycopy(stream, 778, lost, 777, stream.length - 778);
        assertEquals(777, feed(p, lost, random).firstMismatch(), "a lost byte shows where it was lost");

        byte[] duplicated = Arrays.copyOf(stream, stream.length + 8);
        System.arraycopy(stream, 500, duplicated, 508, stream.length - 500);
        assertTrue(feed(p, duplicated, random).firstMismatch() >= 500, "a duplicated run is found");
        assertNotEquals(-1, feed(p, duplicated, random).firstMismatch());
    }

    private static PatternVerifier feed(BytePattern p, byte[] data, Random random) {
        PatternVerifier v = new PatternVerifier(p);
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, 1 + random.nextInt(3000));
            ByteBuffer piece = ByteBuffer.wrap(data, at, n);
            v.accept(piece);
            assertEquals(at, piece.position(), "accept leaves the position");
            at += n;
        }
        return v;
    }
}
