package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM ReadFileByType (0x3F/0x0B) and WriteFileByType (0x3F/0x0C) requests: {@code u16 file_type,
 * u32 file_handle, u32 offset, u32 length}, and for WriteFileByType {@code length} bytes of data
 * after them.
 *
 * <p>Lengths: a ReadFileByType payload is exactly 14 bytes (as openbmc/pldm checks); a
 * WriteFileByType payload exactly {@code 14 + length}. libpldm's {@code decode_rw_file_by_type_req}
 * only checks {@code >= 14} and openbmc/pldm then reads {@code length} bytes whatever arrived; this
 * decoder refuses a length field that lies with {@link CompletionCodes#ERROR_INVALID_LENGTH}, which
 * every message libpldm's encoder plus appended data produces passes.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class ReadWriteFileByTypeRequest extends PldmMessageFlyweight {
    /** Payload bytes before the WriteFileByType data; all of a ReadFileByType payload. */
    public static final int FIXED_LENGTH = 14;
    public static final int FILE_TYPE_OFFSET = 0;
    public static final int FILE_HANDLE_OFFSET = 2;
    public static final int FILE_OFFSET_OFFSET = 6;
    public static final int LENGTH_OFFSET = 10;
    public static final int DATA_OFFSET = 14;

    public ReadWriteFileByTypeRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS; ERROR_INVALID_LENGTH for a payload other than the rules above; ERROR_INVALID_DATA
     * for a wrong header or command.
     */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int payload = payloadLength();
        switch (command()) {
            case IbmFileIoCommands.READ_FILE_BY_TYPE:
                return payload == FIXED_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
            case IbmFileIoCommands.WRITE_FILE_BY_TYPE:
                return payload >= FIXED_LENGTH && payload == FIXED_LENGTH + length()
                        ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
            default:
                return CompletionCodes.ERROR_INVALID_DATA;
        }
    }

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

    /** Index in the buffer of the first WriteFileByType data byte. */
    public int dataIndex() {
        return payloadIndex() + DATA_OFFSET;
    }

    public int encodeReadFileByType(int instanceId, int fileType, long fileHandle, long fileOffset, long length) {
        return encodeFixed(instanceId, IbmFileIoCommands.READ_FILE_BY_TYPE, fileType, fileHandle, fileOffset, length, 0);
    }

    /**
     * Encodes a WriteFileByType request whose {@code length} data bytes the caller has placed (or
     * will place) at {@link #dataIndex()}; returns {@code 17 + length} or a negative result.
     */
    public int encodeWriteFileByType(int instanceId, int fileType, long fileHandle, long fileOffset, int length) {
        if (length < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        return encodeFixed(instanceId, IbmFileIoCommands.WRITE_FILE_BY_TYPE, fileType, fileHandle, fileOffset,
                length, length);
    }

    /** Encodes a WriteFileByType request, copying {@code length} bytes from {@code src} at {@code srcIndex}. */
    public int encodeWriteFileByType(int instanceId, int fileType, long fileHandle, long fileOffset, ByteBuffer src,
            int srcIndex, int length) {
        if (length < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        if ((long) PAYLOAD_OFFSET + DATA_OFFSET + length > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        copyIntoPayload(DATA_OFFSET, src, srcIndex, length);
        return encodeWriteFileByType(instanceId, fileType, fileHandle, fileOffset, length);
    }

    private int encodeFixed(int instanceId, int command, int fileType, long fileHandle, long fileOffset, long length,
            int dataLength) {
        if (!fitsUnsigned(fileType, 16) || !fitsUnsigned(fileHandle, 32) || !fitsUnsigned(fileOffset, 32)
                || !fitsUnsigned(length, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        long messageLength = PAYLOAD_OFFSET + FIXED_LENGTH + (long) dataLength;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_TYPE_OFFSET, fileType);
        putU32(FILE_HANDLE_OFFSET, fileHandle);
        putU32(FILE_OFFSET_OFFSET, fileOffset);
        putU32(LENGTH_OFFSET, length);
        return endEncode((int) messageLength);
    }
}
