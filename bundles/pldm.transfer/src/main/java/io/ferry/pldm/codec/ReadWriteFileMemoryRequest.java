package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM ReadFileIntoMemory (0x3F/0x06) and WriteFileFromMemory (0x3F/0x07) requests:
 * {@code u32 file_handle, u32 offset, u32 length, u64 address} — 20 bytes exactly. The address is
 * the host memory address the DMA engine reads or writes.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class ReadWriteFileMemoryRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 20;
    public static final int FILE_HANDLE_OFFSET = 0;
    public static final int FILE_OFFSET_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    public static final int ADDRESS_OFFSET = 12;

    public ReadWriteFileMemoryRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS; ERROR_INVALID_LENGTH unless the payload is 20 bytes; ERROR_INVALID_DATA for a wrong header or command. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        if (!isCommand(command())) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public long fileHandle() {
        return u32(FILE_HANDLE_OFFSET);
    }

    public long fileOffset() {
        return u32(FILE_OFFSET_OFFSET);
    }

    public long length() {
        return u32(LENGTH_OFFSET);
    }

    /** The host memory address (64 raw bits). */
    public long address() {
        return u64(ADDRESS_OFFSET);
    }

    /** Encodes a request; {@code command} is READ_FILE_INTO_MEMORY or WRITE_FILE_FROM_MEMORY. */
    public int encode(int instanceId, int command, long fileHandle, long fileOffset, long length, long address) {
        if (!isCommand(command) || !fitsUnsigned(fileHandle, 32) || !fitsUnsigned(fileOffset, 32)
                || !fitsUnsigned(length, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU32(FILE_HANDLE_OFFSET, fileHandle);
        putU32(FILE_OFFSET_OFFSET, fileOffset);
        putU32(LENGTH_OFFSET, length);
        putU64(ADDRESS_OFFSET, address);
        return endEncode(messageLength);
    }

    private static boolean isCommand(int command) {
        return command == IbmFileIoCommands.READ_FILE_INTO_MEMORY || command == IbmFileIoCommands.WRITE_FILE_FROM_MEMORY;
    }
}
