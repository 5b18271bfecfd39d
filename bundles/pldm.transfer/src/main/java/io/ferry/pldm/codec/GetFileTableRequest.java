package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM GetFileTable request (0x3F/0x01): {@code u32 transfer_handle, u8 transfer_operation_flag,
 * u8 table_type} — 6 bytes exactly.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetFileTableRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 6;
    public static final int TRANSFER_HANDLE_OFFSET = 0;
    public static final int TRANSFER_OPERATION_FLAG_OFFSET = 4;
    public static final int TABLE_TYPE_OFFSET = 5;

    public GetFileTableRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS, ERROR_INVALID_LENGTH unless the payload is 6 bytes, ERROR_INVALID_DATA for a wrong header. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public long transferHandle() {
        return u32(TRANSFER_HANDLE_OFFSET);
    }

    public int transferOperationFlag() {
        return u8(TRANSFER_OPERATION_FLAG_OFFSET);
    }

    /** {@link IbmFileIoCommands#FILE_ATTRIBUTE_TABLE} or {@link IbmFileIoCommands#OEM_FILE_ATTRIBUTE_TABLE}. */
    public int tableType() {
        return u8(TABLE_TYPE_OFFSET);
    }

    public int encode(int instanceId, long transferHandle, int transferOperationFlag, int tableType) {
        if (!fitsUnsigned(transferHandle, 32) || !fitsUnsigned(transferOperationFlag, 8) || !fitsUnsigned(tableType, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.OEM, IbmFileIoCommands.GET_FILE_TABLE);
        if (rc < 0) {
            return rc;
        }
        putU32(TRANSFER_HANDLE_OFFSET, transferHandle);
        putU8(TRANSFER_OPERATION_FLAG_OFFSET, transferOperationFlag);
        putU8(TABLE_TYPE_OFFSET, tableType);
        return endEncode(messageLength);
    }
}
