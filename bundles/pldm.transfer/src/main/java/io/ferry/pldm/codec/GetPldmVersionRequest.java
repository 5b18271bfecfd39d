package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * GetPLDMVersion request (base 0x03): {@code u32 transfer_handle, u8 transfer_operation_flag,
 * u8 type} — 6 bytes exactly.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetPldmVersionRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 6;
    public static final int TRANSFER_HANDLE_OFFSET = 0;
    public static final int TRANSFER_OPERATION_FLAG_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;

    public GetPldmVersionRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS, ERROR_INVALID_LENGTH unless the payload is 6 bytes, ERROR_INVALID_DATA for a wrong header. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.BASE);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public long transferHandle() {
        return u32(TRANSFER_HANDLE_OFFSET);
    }

    /** {@link TransferFlags#GET_FIRST_PART}, {@link TransferFlags#GET_NEXT_PART}, ... */
    public int transferOperationFlag() {
        return u8(TRANSFER_OPERATION_FLAG_OFFSET);
    }

    /** The PLDM type whose version is asked for. */
    public int type() {
        return u8(TYPE_OFFSET);
    }

    public int encode(int instanceId, long transferHandle, int transferOperationFlag, int type) {
        if (!fitsUnsigned(transferHandle, 32) || !fitsUnsigned(transferOperationFlag, 8) || !fitsUnsigned(type, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_VERSION);
        if (rc < 0) {
            return rc;
        }
        putU32(TRANSFER_HANDLE_OFFSET, transferHandle);
        putU8(TRANSFER_OPERATION_FLAG_OFFSET, transferOperationFlag);
        putU8(TYPE_OFFSET, type);
        return endEncode(messageLength);
    }
}
