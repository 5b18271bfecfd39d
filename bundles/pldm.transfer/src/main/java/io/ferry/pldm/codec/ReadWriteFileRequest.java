package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM ReadFile (0x3F/0x04) and WriteFile (0x3F/0x05) requests: {@code u32 file_handle, u32 offset,
 * u32 length}, and for WriteFile {@code length} bytes of file data after them.
 *
 * <p>Lengths, as libpldm decodes them: a ReadFile payload is exactly 12 bytes; a WriteFile payload
 * exactly {@code 12 + length} (a length field that lies is {@link CompletionCodes#ERROR_INVALID_LENGTH}).
 * As in libpldm, the encoders refuse a zero length.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class ReadWriteFileRequest extends PldmMessageFlyweight {
    /** Payload bytes before the WriteFile data; all of a ReadFile payload. */
    public static final int FIXED_LENGTH = 12;
    public static final int FILE_HANDLE_OFFSET = 0;
    public static final int FILE_OFFSET_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    public static final int DATA_OFFSET = 12;

    public ReadWriteFileRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS; ERROR_INVALID_LENGTH for a payload other than the rules above; ERROR_INVALID_DATA
     * for a wrong header or a command other than ReadFile/WriteFile.
     */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int payload = payloadLength();
        switch (command()) {
            case IbmFileIoCommands.READ_FILE:
                return payload == FIXED_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
            case IbmFileIoCommands.WRITE_FILE:
                return payload >= FIXED_LENGTH && payload == FIXED_LENGTH + length()
                        ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
            default:
                return CompletionCodes.ERROR_INVALID_DATA;
        }
    }

    public long fileHandle() {
        return u32(FILE_HANDLE_OFFSET);
    }

    /** Offset in the file. */
    public long fileOffset() {
        return u32(FILE_OFFSET_OFFSET);
    }

    /** Bytes to read, or bytes of data carried (WriteFile). */
    public long length() {
        return u32(LENGTH_OFFSET);
    }

    /** Index in the buffer of the first WriteFile data byte. */
    public int dataIndex() {
        return payloadIndex() + DATA_OFFSET;
    }

    public int encodeReadFile(int instanceId, long fileHandle, long fileOffset, long length) {
        return encodeFixed(instanceId, IbmFileIoCommands.READ_FILE, fileHandle, fileOffset, length, 0);
    }

    /**
     * Encodes a WriteFile request whose {@code length} data bytes the caller has placed (or will
     * place) at {@link #dataIndex()}; returns {@code 15 + length} or a negative result.
     */
    public int encodeWriteFile(int instanceId, long fileHandle, long fileOffset, int length) {
        return encodeFixed(instanceId, IbmFileIoCommands.WRITE_FILE, fileHandle, fileOffset, length, length);
    }

    /** Encodes a WriteFile request, copying {@code length} data bytes from {@code src} at {@code srcIndex}. */
    public int encodeWriteFile(int instanceId, long fileHandle, long fileOffset, ByteBuffer src, int srcIndex,
            int length) {
        if (length <= 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        if ((long) PAYLOAD_OFFSET + DATA_OFFSET + length > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        copyIntoPayload(DATA_OFFSET, src, srcIndex, length);
        return encodeWriteFile(instanceId, fileHandle, fileOffset, length);
    }

    private int encodeFixed(int instanceId, int command, long fileHandle, long fileOffset, long length, int dataLength) {
        if (length == 0 || !fitsUnsigned(fileHandle, 32) || !fitsUnsigned(fileOffset, 32) || !fitsUnsigned(length, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        long messageLength = PAYLOAD_OFFSET + FIXED_LENGTH + (long) dataLength;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU32(FILE_HANDLE_OFFSET, fileHandle);
        putU32(FILE_OFFSET_OFFSET, fileOffset);
        putU32(LENGTH_OFFSET, length);
        return endEncode((int) messageLength);
    }
}
