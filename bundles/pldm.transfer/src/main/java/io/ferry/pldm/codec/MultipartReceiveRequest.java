package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * MultipartReceive request (base 0x09, DSP0240 1.2; DSP0242 reads file data with it):
 * {@code u8 pldm_type, u8 transfer_operation, u32 transfer_context, u32 data_transfer_handle,
 * u32 requested_section_offset, u32 requested_section_length} — 18 bytes exactly. For DSP0242 the
 * type is {@link PldmTypes#FILE} and the transfer context is the file descriptor from DfOpen.
 *
 * <p>Validation also refuses, as libpldm's decoder does, an operation above
 * {@link TransferFlags#XFER_CURRENT_PART} and a zero transfer handle with
 * {@link TransferFlags#XFER_NEXT_PART} (both {@link CompletionCodes#ERROR_INVALID_DATA}).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class MultipartReceiveRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 18;
    public static final int PLDM_TYPE_OFFSET = 0;
    public static final int TRANSFER_OPERATION_OFFSET = 1;
    public static final int TRANSFER_CONTEXT_OFFSET = 2;
    public static final int TRANSFER_HANDLE_OFFSET = 6;
    public static final int SECTION_OFFSET_OFFSET = 10;
    public static final int SECTION_LENGTH_OFFSET = 14;

    public MultipartReceiveRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS; ERROR_INVALID_LENGTH unless the payload is 18 bytes; ERROR_INVALID_DATA for a wrong
     * header, an unknown operation, or NEXT_PART with a zero handle.
     */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.BASE);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        if (payloadLength() != PAYLOAD_LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        int operation = transferOperation();
        if (operation > TransferFlags.XFER_MAX
                || (operation == TransferFlags.XFER_NEXT_PART && transferHandle() == 0)) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        return CompletionCodes.SUCCESS;
    }

    /** The PLDM type the transfer belongs to (0x07 for DSP0242). */
    public int requestedPldmType() {
        return u8(PLDM_TYPE_OFFSET);
    }

    /** {@link TransferFlags#XFER_FIRST_PART} ... {@link TransferFlags#XFER_CURRENT_PART}. */
    public int transferOperation() {
        return u8(TRANSFER_OPERATION_OFFSET);
    }

    /** Protocol-specific context: the DSP0242 file descriptor. */
    public long transferContext() {
        return u32(TRANSFER_CONTEXT_OFFSET);
    }

    public long transferHandle() {
        return u32(TRANSFER_HANDLE_OFFSET);
    }

    public long sectionOffset() {
        return u32(SECTION_OFFSET_OFFSET);
    }

    public long sectionLength() {
        return u32(SECTION_LENGTH_OFFSET);
    }

    public int encode(int instanceId, int requestedPldmType, int transferOperation, long transferContext,
            long transferHandle, long sectionOffset, long sectionLength) {
        if (!fitsUnsigned(requestedPldmType, 8) || !fitsUnsigned(transferOperation, 8)
                || !fitsUnsigned(transferContext, 32) || !fitsUnsigned(transferHandle, 32)
                || !fitsUnsigned(sectionOffset, 32) || !fitsUnsigned(sectionLength, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.BASE, BaseCommands.MULTIPART_RECEIVE);
        if (rc < 0) {
            return rc;
        }
        putU8(PLDM_TYPE_OFFSET, requestedPldmType);
        putU8(TRANSFER_OPERATION_OFFSET, transferOperation);
        putU32(TRANSFER_CONTEXT_OFFSET, transferContext);
        putU32(TRANSFER_HANDLE_OFFSET, transferHandle);
        putU32(SECTION_OFFSET_OFFSET, sectionOffset);
        putU32(SECTION_LENGTH_OFFSET, sectionLength);
        return endEncode(messageLength);
    }
}
