package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The 0x85 / 0x86 / 0x87 / INVALID_LENGTH mappings that need no file, as openbmc/pldm applies them. */
class FileIoChecksTest {

    @Test
    void shouldAnswerInvalidFileTableTypeForAnythingButTheAttributeTable() {
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkFileTableType(IbmFileIoCommands.FILE_ATTRIBUTE_TABLE));
        assertEquals(0x85, FileIoChecks.checkFileTableType(IbmFileIoCommands.OEM_FILE_ATTRIBUTE_TABLE));
        assertEquals(0x85, FileIoChecks.checkFileTableType(0xFF));
    }

    @Test
    void shouldAnswerInvalidFileHandleForAHandleNotInTheTable() {
        ByteBuffer b = ByteBuffer.allocate(256);
        FileAttributeTable table = new FileAttributeTable().wrapForWrite(b, 0, 256);
        table.appendEntry(0, "pel".getBytes(StandardCharsets.US_ASCII), 100, 1);
        table.appendEntry(7, "dump".getBytes(StandardCharsets.US_ASCII), 4096, 2);
        table.finish();
        assertEquals(CompletionCodes.SUCCESS, table.validate());
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkFileHandle(table, 0));
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkFileHandle(table, 7));
        assertEquals(0x86, FileIoChecks.checkFileHandle(table, 1));
        assertEquals(0x86, FileIoChecks.checkFileHandle(table, 0xFFFF_FFFFL));
    }

    @Test
    void shouldAnswerDataOutOfRangeForAnOffsetAtOrPastTheEnd() {
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkOffset(0, 1));
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkOffset(0x3F, 0x40));
        assertEquals(0x87, FileIoChecks.checkOffset(0x40, 0x40));
        assertEquals(0x87, FileIoChecks.checkOffset(0, 0));
        assertEquals(0x87, FileIoChecks.checkOffset(0xFFFF_FFFFL, 0x40));
        assertEquals(0x30, FileIoChecks.clampLength(0x10, 0x40, 0x40));
        assertEquals(0x20, FileIoChecks.clampLength(0x10, 0x20, 0x40));
    }

    @Test
    void shouldAnswerInvalidLengthForDmaLengthsThatAreNotNonZeroMultiplesOf16() {
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, FileIoChecks.checkDmaLength(0));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, FileIoChecks.checkDmaLength(15));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, FileIoChecks.checkDmaLength(17));
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkDmaLength(16));
        assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkDmaLength(0x40));
    }

    @Test
    void shouldSplitDmaAboveEightMibMinusFourKib() {
        assertEquals(8_384_512, FileIoChecks.DMA_MAX_SIZE);
        assertEquals(0, FileIoChecks.dmaChunkCount(0));
        assertEquals(1, FileIoChecks.dmaChunkCount(16));
        assertEquals(1, FileIoChecks.dmaChunkCount(FileIoChecks.DMA_MAX_SIZE));
        assertEquals(2, FileIoChecks.dmaChunkCount(FileIoChecks.DMA_MAX_SIZE + 16L));
        assertEquals(33, FileIoChecks.dmaChunkCount(256L << 20));
    }
}
