package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * A request with no payload: GetTID (0x02) and GetPLDMTypes (0x04) of the base type.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class EmptyRequest extends PldmMessageFlyweight {
    /** Payload bytes: none. */
    public static final int PAYLOAD_LENGTH = 0;

    public EmptyRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * @return {@link CompletionCodes#SUCCESS} for a request header with an empty payload,
     *         {@link CompletionCodes#ERROR_INVALID_LENGTH} for any payload,
     *         {@link CompletionCodes#ERROR_INVALID_DATA} for a response header
     */
    public int validate() {
        if (length < PldmHeader.LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (!isRequest()) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    /** Encodes a request of this type and command with no payload; returns 3 or a negative result. */
    public int encode(int instanceId, int pldmType, int command) {
        int rc = beginEncode(PldmHeader.LENGTH, true, instanceId, pldmType, command);
        return rc < 0 ? rc : endEncode(PldmHeader.LENGTH);
    }

    /** Encodes a GetTID request. */
    public int encodeGetTid(int instanceId) {
        return encode(instanceId, PldmTypes.BASE, BaseCommands.GET_TID);
    }

    /** Encodes a GetPLDMTypes request. */
    public int encodeGetPldmTypes(int instanceId) {
        return encode(instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_TYPES);
    }
}
