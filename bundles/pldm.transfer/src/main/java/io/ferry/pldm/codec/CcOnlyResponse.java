package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * A response whose payload is its completion code alone: the success and error responses of IBM
 * NewFileAvailable, FileAck, NewFileAvailableWithMetaData, FileAckWithMetaData and of DSP0242
 * DfClose, and the error response of any command whose error form is cc-only (libpldm's
 * {@code encode_cc_only_resp}; see {@link ErrorResponses} for which those are).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class CcOnlyResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 1;
    public static final int COMPLETION_CODE_OFFSET = 0;

    public CcOnlyResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * @return {@link CompletionCodes#SUCCESS} for a response header and a 1-byte payload,
     *         {@link CompletionCodes#ERROR_INVALID_LENGTH} for any other length,
     *         {@link CompletionCodes#ERROR_INVALID_DATA} for a request header
     */
    public int validate() {
        if (length < PldmHeader.LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (isRequest()) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    /** Encodes a response of this type and command carrying only {@code completionCode} (any, success included). */
    public int encode(int instanceId, int pldmType, int command, int completionCode) {
        if (!fitsUnsigned(completionCode, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, pldmType, command);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, completionCode);
        return endEncode(messageLength);
    }
}
