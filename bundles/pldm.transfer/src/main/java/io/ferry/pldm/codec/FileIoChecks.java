package io.ferry.pldm.codec;

/**
 * The IBM file I/O checks that map request fields to completion codes without touching a file,
 * in the order and with the codes openbmc/pldm's {@code oem/ibm/libpldmresponder/file_io.cpp} uses:
 * <ul>
 *   <li>GetFileTable with a table type other than the file attribute table:
 *       {@link CompletionCodes#IBM_INVALID_FILE_TABLE_TYPE} (0x85);</li>
 *   <li>a handle not in the file attribute table: {@link CompletionCodes#IBM_INVALID_FILE_HANDLE}
 *       (0x86);</li>
 *   <li>an offset at or beyond the end of the file: {@link CompletionCodes#IBM_DATA_OUT_OF_RANGE}
 *       (0x87), after which a read's length is clipped to the file's end;</li>
 *   <li>a DMA length that is zero or not a multiple of {@value #DMA_MIN_SIZE}:
 *       {@link CompletionCodes#ERROR_INVALID_LENGTH}; DMA requests above {@value #DMA_MAX_SIZE}
 *       bytes are carried out in chunks of that size.</li>
 * </ul>
 * The responder (TransferService) composes these with its file table and file sizes.
 *
 * <p>Stateless: any thread may call these; nothing allocates.
 */
public final class FileIoChecks {
    /** DMA lengths must be non-zero multiples of this (the XDMA engine's granule). */
    public static final int DMA_MIN_SIZE = 16;
    /** The most one DMA operation moves: 8 MiB - 4 KiB (openbmc/pldm {@code dma::maxSize}). */
    public static final int DMA_MAX_SIZE = 8 * 1024 * 1024 - 4096;

    private FileIoChecks() {
    }

    /** SUCCESS for the file attribute table, 0x85 for any other table type. */
    public static int checkFileTableType(int tableType) {
        return tableType == IbmFileIoCommands.FILE_ATTRIBUTE_TABLE
                ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_TABLE_TYPE;
    }

    /** SUCCESS when {@code table} has an entry for {@code fileHandle}, 0x86 otherwise. */
    public static int checkFileHandle(FileAttributeTable table, long fileHandle) {
        return table.findEntry(fileHandle) >= 0 ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_HANDLE;
    }

    /** SUCCESS when {@code fileOffset} is inside a file of {@code fileSize} bytes, 0x87 otherwise. */
    public static int checkOffset(long fileOffset, long fileSize) {
        return fileOffset >= 0 && fileOffset < fileSize ? CompletionCodes.SUCCESS : CompletionCodes.IBM_DATA_OUT_OF_RANGE;
    }

    /** The length a read may return: {@code length}, clipped to the file's end (after {@link #checkOffset}). */
    public static long clampLength(long fileOffset, long length, long fileSize) {
        return Math.min(length, Math.max(0, fileSize - fileOffset));
    }

    /** SUCCESS for a non-zero multiple of {@value #DMA_MIN_SIZE}, ERROR_INVALID_LENGTH otherwise. */
    public static int checkDmaLength(long length) {
        return length > 0 && length % DMA_MIN_SIZE == 0 ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    /** How many DMA operations of at most {@value #DMA_MAX_SIZE} bytes move {@code length} bytes. */
    public static long dmaChunkCount(long length) {
        return length <= 0 ? 0 : (length + DMA_MAX_SIZE - 1) / DMA_MAX_SIZE;
    }
}
