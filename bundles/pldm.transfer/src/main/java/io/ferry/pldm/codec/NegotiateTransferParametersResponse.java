package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * NegotiateTransferParameters response (base 0x07): {@code u8 cc, u16 responder_part_size,
 * bitfield8[8] responder_protocol_support} — 11 bytes on success. On error the completion code
 * alone (libpldm's decoder accepts that form; its encoder would write all 11 bytes).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class NegotiateTransferParametersResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 11;
    /** The smallest part size DSP0240 allows a responder to answer with (libpldm refuses less). */
    public static final int MIN_PART_SIZE = 256;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int PART_SIZE_OFFSET = 1;
    public static final int PROTOCOL_SUPPORT_OFFSET = 3;

    public NegotiateTransferParametersResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** Checks header and length; see {@link PldmMessageFlyweight#checkFixedResponse}. */
    public int validate() {
        int cc = checkHeader(false, PldmTypes.BASE);
        return cc != CompletionCodes.SUCCESS ? cc : checkFixedResponse(PAYLOAD_LENGTH);
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    public int responderPartSize() {
        return u16(PART_SIZE_OFFSET);
    }

    /** The protocol support bits: bit {@code t} for PLDM type {@code t}. */
    public long responderProtocolSupport() {
        return u64(PROTOCOL_SUPPORT_OFFSET);
    }

    /**
     * Encodes the response; cc-only on error. A part size below {@link #MIN_PART_SIZE} is
     * {@link PldmCodec#INVALID_ARGUMENT}, as in libpldm.
     */
    public int encode(int instanceId, int completionCode, int responderPartSize, long responderProtocolSupport) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.BASE, BaseCommands.NEGOTIATE_TRANSFER_PARAMETERS,
                    completionCode, 1);
        }
        if (responderPartSize < MIN_PART_SIZE || !fitsUnsigned(responderPartSize, 16)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.BASE,
                BaseCommands.NEGOTIATE_TRANSFER_PARAMETERS);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU16(PART_SIZE_OFFSET, responderPartSize);
        putU64(PROTOCOL_SUPPORT_OFFSET, responderProtocolSupport);
        return endEncode(messageLength);
    }
}
