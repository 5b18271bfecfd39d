package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM NewFileAvailable (0x3F/0x0A) and NewFileAvailableWithMetaData (0x3F/0x0E) requests:
 * {@code u16 file_type, u32 file_handle, u64 length} (14 bytes exactly), and for the metadata
 * variant {@code u32 file_meta_data_1..4} after them (30 bytes exactly). Answered with a
 * {@link CcOnlyResponse}.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class NewFileAvailableRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 14;
    public static final int PAYLOAD_LENGTH_WITH_META_DATA = 30;
    public static final int FILE_TYPE_OFFSET = 0;
    public static final int FILE_HANDLE_OFFSET = 2;
    public static final int LENGTH_OFFSET = 6;
    public static final int META_DATA_OFFSET = 14;
    /** Number of u32 metadata words in the metadata variant. */
    public static final int META_DATA_COUNT = 4;

    public NewFileAvailableRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS; ERROR_INVALID_LENGTH unless the payload is 14 (30 with metadata) bytes; ERROR_INVALID_DATA for a wrong header or command. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int expected;
        switch (command()) {
            case IbmFileIoCommands.NEW_FILE_AVAILABLE:
                expected = PAYLOAD_LENGTH;
                break;
            case IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA:
                expected = PAYLOAD_LENGTH_WITH_META_DATA;
                break;
            default:
                return CompletionCodes.ERROR_INVALID_DATA;
        }
        return payloadLength() == expected ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    /** Whether this is the metadata variant (by command). */
    public boolean hasMetaData() {
        return command() == IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA;
    }

    public int fileType() {
        return u16(FILE_TYPE_OFFSET);
    }

    public long fileHandle() {
        return u32(FILE_HANDLE_OFFSET);
    }

    /** Length of the new file in bytes (u64, raw bits). */
    public long length() {
        return u64(LENGTH_OFFSET);
    }

    /** Metadata word {@code i} (0..3) of the metadata variant. */
    public long metaData(int i) {
        return u32(META_DATA_OFFSET + 4 * i);
    }

    public int encode(int instanceId, int fileType, long fileHandle, long length) {
        int rc = encodeFixed(instanceId, IbmFileIoCommands.NEW_FILE_AVAILABLE, PAYLOAD_LENGTH, fileType, fileHandle,
                length);
        return rc < 0 ? rc : endEncode(PAYLOAD_OFFSET + PAYLOAD_LENGTH);
    }

    public int encodeWithMetaData(int instanceId, int fileType, long fileHandle, long length, long metaData1,
            long metaData2, long metaData3, long metaData4) {
        if (!fitsUnsigned(metaData1, 32) || !fitsUnsigned(metaData2, 32) || !fitsUnsigned(metaData3, 32)
                || !fitsUnsigned(metaData4, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int rc = encodeFixed(instanceId, IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA,
                PAYLOAD_LENGTH_WITH_META_DATA, fileType, fileHandle, length);
        if (rc < 0) {
            return rc;
        }
        putU32(META_DATA_OFFSET, metaData1);
        putU32(META_DATA_OFFSET + 4, metaData2);
        putU32(META_DATA_OFFSET + 8, metaData3);
        putU32(META_DATA_OFFSET + 12, metaData4);
        return endEncode(PAYLOAD_OFFSET + PAYLOAD_LENGTH_WITH_META_DATA);
    }

    private int encodeFixed(int instanceId, int command, int payloadLength, int fileType, long fileHandle, long length) {
        if (!fitsUnsigned(fileType, 16) || !fitsUnsigned(fileHandle, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int rc = beginEncode(PAYLOAD_OFFSET + payloadLength, true, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_TYPE_OFFSET, fileType);
        putU32(FILE_HANDLE_OFFSET, fileHandle);
        putU64(LENGTH_OFFSET, length);
        return 0;
    }
}
