package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM FileAck (0x3F/0x0D) and FileAckWithMetaData (0x3F/0x0F) requests: {@code u16 file_type,
 * u32 file_handle, u8 file_status} (7 bytes exactly), and for the metadata variant
 * {@code u32 file_meta_data_1..4} after them (23 bytes exactly). Answered with a
 * {@link CcOnlyResponse}.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class FileAckRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 7;
    public static final int PAYLOAD_LENGTH_WITH_META_DATA = 23;
    public static final int FILE_TYPE_OFFSET = 0;
    public static final int FILE_HANDLE_OFFSET = 2;
    public static final int FILE_STATUS_OFFSET = 6;
    public static final int META_DATA_OFFSET = 7;
    public static final int META_DATA_COUNT = 4;

    public FileAckRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS; ERROR_INVALID_LENGTH unless the payload is 7 (23 with metadata) bytes; ERROR_INVALID_DATA for a wrong header or command. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int expected;
        switch (command()) {
            case IbmFileIoCommands.FILE_ACK:
                expected = PAYLOAD_LENGTH;
                break;
            case IbmFileIoCommands.FILE_ACK_WITH_META_DATA:
                expected = PAYLOAD_LENGTH_WITH_META_DATA;
                break;
            default:
                return CompletionCodes.ERROR_INVALID_DATA;
        }
        return payloadLength() == expected ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public boolean hasMetaData() {
        return command() == IbmFileIoCommands.FILE_ACK_WITH_META_DATA;
    }

    public int fileType() {
        return u16(FILE_TYPE_OFFSET);
    }

    public long fileHandle() {
        return u32(FILE_HANDLE_OFFSET);
    }

    /** Status of the file's processing on the host. */
    public int fileStatus() {
        return u8(FILE_STATUS_OFFSET);
    }

    /** Metadata word {@code i} (0..3) of the metadata variant. */
    public long metaData(int i) {
        return u32(META_DATA_OFFSET + 4 * i);
    }

    public int encode(int instanceId, int fileType, long fileHandle, int fileStatus) {
        int rc = encodeFixed(instanceId, IbmFileIoCommands.FILE_ACK, PAYLOAD_LENGTH, fileType, fileHandle, fileStatus);
        return rc < 0 ? rc : endEncode(PAYLOAD_OFFSET + PAYLOAD_LENGTH);
    }

    public int encodeWithMetaData(int instanceId, int fileType, long fileHandle, int fileStatus, long metaData1,
            long metaData2, long metaData3, long metaData4) {
        if (!fitsUnsigned(metaData1, 32) || !fitsUnsigned(metaData2, 32) || !fitsUnsigned(metaData3, 32)
                || !fitsUnsigned(metaData4, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int rc = encodeFixed(instanceId, IbmFileIoCommands.FILE_ACK_WITH_META_DATA, PAYLOAD_LENGTH_WITH_META_DATA,
                fileType, fileHandle, fileStatus);
        if (rc < 0) {
            return rc;
        }
        putU32(META_DATA_OFFSET, metaData1);
        putU32(META_DATA_OFFSET + 4, metaData2);
        putU32(META_DATA_OFFSET + 8, metaData3);
        putU32(META_DATA_OFFSET + 12, metaData4);
        return endEncode(PAYLOAD_OFFSET + PAYLOAD_LENGTH_WITH_META_DATA);
    }

    private int encodeFixed(int instanceId, int command, int payloadLength, int fileType, long fileHandle,
            int fileStatus) {
        if (!fitsUnsigned(fileType, 16) || !fitsUnsigned(fileHandle, 32) || !fitsUnsigned(fileStatus, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int rc = beginEncode(PAYLOAD_OFFSET + payloadLength, true, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_TYPE_OFFSET, fileType);
        putU32(FILE_HANDLE_OFFSET, fileHandle);
        putU8(FILE_STATUS_OFFSET, fileStatus);
        return 0;
    }
}
