package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM ReadFileByTypeIntoMemory (0x3F/0x08) and WriteFileByTypeFromMemory (0x3F/0x09) requests:
 * {@code u16 file_type, u32 file_handle, u32 offset, u32 length, u64 address} — 22 bytes exactly.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class ReadWriteFileByTypeMemoryRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 22;
    public static final int FILE_TYPE_OFFSET = 0;
    public static final int FILE_HANDLE_OFFSET = 2;
    public static final int FILE_OFFSET_OFFSET = 6;
    public static final int LENGTH_OFFSET = 10;
    public static final int ADDRESS_OFFSET = 14;

    public ReadWriteFileByTypeMemoryRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS; ERROR_INVALID_LENGTH unless the payload is 22 bytes; ERROR_INVALID_DATA for a wrong header or command. */
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

    /** {@link IbmFileTypes} value. */
    public int fileType() {
        return u16(FILE_TYPE_OFFSET);
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

    public long address() {
        return u64(ADDRESS_OFFSET);
    }

    /** Encodes a request; {@code command} is READ_FILE_BY_TYPE_INTO_MEMORY or WRITE_FILE_BY_TYPE_FROM_MEMORY. */
    public int encode(int instanceId, int command, int fileType, long fileHandle, long fileOffset, long length,
            long address) {
        if (!isCommand(command) || !fitsUnsigned(fileType, 16) || !fitsUnsigned(fileHandle, 32)
                || !fitsUnsigned(fileOffset, 32) || !fitsUnsigned(length, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_TYPE_OFFSET, fileType);
        putU32(FILE_HANDLE_OFFSET, fileHandle);
        putU32(FILE_OFFSET_OFFSET, fileOffset);
        putU32(LENGTH_OFFSET, length);
        putU64(ADDRESS_OFFSET, address);
        return endEncode(messageLength);
    }

    private static boolean isCommand(int command) {
        return command == IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY
                || command == IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY;
    }
}
