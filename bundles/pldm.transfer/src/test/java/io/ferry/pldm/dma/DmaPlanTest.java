package io.ferry.pldm.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileIoChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DmaPlanTest {
    private static final int MAX = FileIoChecks.DMA_MAX_SIZE;

    @Test
    void shouldUseTheAnchorsMaximumWhichIsAMultipleOf16AndOfThePage() {
        assertEquals(8 * 1024 * 1024 - 4096, MAX);
        assertEquals(0, MAX % 16);
        assertEquals(0, MAX % XdmaDmaEngine.PAGE_SIZE);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 15, 17, 31, 4095, MAX + 1L, 20L * 1024 * 1024 + 8, 0x1_0000_0000L})
    void shouldRefuseZeroUnalignedAndOverU32Lengths(long length) {
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, DmaPlan.check(length));
        assertThrows(IllegalArgumentException.class, () -> DmaPlan.of(length, 0, MAX));
    }

    @Test
    void shouldSplitTwentyMebibytesIntoTwoFullChunksAndATail() {
        DmaPlan p = DmaPlan.of(20L * 1024 * 1024, 0x1000_0000L, MAX);
        assertEquals(3, p.chunkCount());
        assertEquals(FileIoChecks.dmaChunkCount(p.length()), p.chunkCount());
        assertEquals(MAX, p.chunkLength(0));
        assertEquals(MAX, p.chunkLength(1));
        assertEquals(20 * 1024 * 1024 - 2 * MAX, p.chunkLength(2));
        assertEquals(0x1000_0000L + 2L * MAX, p.chunkAddress(2));
        assertEquals(2L * MAX, p.chunkOffset(2));
    }

    @Test
    void shouldKeepExactlyMaxInOneChunkAndSplitOneGranuleMore() {
        assertEquals(1, DmaPlan.of(MAX, 0, MAX).chunkCount());
        DmaPlan p = DmaPlan.of(MAX + 16L, 0, MAX);
        assertEquals(2, p.chunkCount());
        assertEquals(16, p.chunkLength(1));
    }

    /**
     * Field failure "wrong length after chunking": the length is checked once, before chunking, and
     * never rounded; every chunk (the tail included) is a non-zero multiple of 16, the chunks are
     * contiguous and add up to the whole length, and the whole length (not the tail's) is what a
     * successful response reports. For reads the anchor clips to the file's end first and then
     * applies the rule to the clipped length: a file whose remaining size is not a multiple of 16
     * is refused with ERROR_INVALID_LENGTH, not padded.
     */
    @Test
    void wrongLengthAfterChunking_everyChunkIsAlignedAndTheChunksAddUpToTheWholeLength() {
        for (long length : new long[] {16, 4096, MAX - 16L, MAX, MAX + 16L, 2L * MAX + 4096, 64L << 20, 0xFFFF_FFF0L}) {
            DmaPlan p = DmaPlan.of(length, 0x40_0000_0000L, MAX);
            long sum = 0;
            for (int i = 0; i < p.chunkCount(); i++) {
                int len = p.chunkLength(i);
                assertTrue(len > 0 && len % 16 == 0 && len <= MAX, "chunk " + i + " of " + length + ": " + len);
                assertEquals(sum, p.chunkOffset(i));
                assertEquals(0x40_0000_0000L + sum, p.chunkAddress(i));
                sum += len;
            }
            assertEquals(length, sum);
            assertEquals(length, p.length());
        }
        // Read clipped to the file's end, then the rule on the clipped length.
        long fileSize = MAX + 100L; // not a multiple of 16
        long clipped = FileIoChecks.clampLength(0, 3L * MAX, fileSize);
        assertEquals(fileSize, clipped);
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, DmaPlan.check(clipped));
        assertEquals(CompletionCodes.SUCCESS, DmaPlan.check(FileIoChecks.clampLength(4, 3L * MAX, fileSize)));
    }

    @Test
    void shouldHonourASmallerEngineMaximum() {
        DmaPlan p = DmaPlan.of(100 * 16, 0, 48);
        assertEquals(34, p.chunkCount());
        assertEquals(16, p.chunkLength(33));
        assertThrows(IllegalArgumentException.class, () -> DmaPlan.of(64, 0, 40));
        assertThrows(IndexOutOfBoundsException.class, () -> p.chunkLength(34));
    }
}
