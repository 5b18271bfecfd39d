package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * GetPLDMTypes response (base 0x04): {@code u8 cc, bitfield8[8] types}; bit {@code t % 8} of byte
 * {@code t / 8} set means PLDM type {@code t} is supported. Held here as one {@code long} read
 * little-endian, so bit {@code t} of the long is type {@code t}. On error the completion code
 * alone.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetPldmTypesResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 9;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int TYPES_OFFSET = 1;

    public GetPldmTypesResponse wrap(ByteBuffer buffer, int offset, int length) {
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

    /** The 64 type bits: bit {@code t} set when type {@code t} is supported. */
    public long types() {
        return u64(TYPES_OFFSET);
    }

    public boolean supportsType(int pldmType) {
        return pldmType >= 0 && pldmType < 64 && (types() >>> pldmType & 1L) != 0;
    }

    /** Encodes the response; {@code types} bit {@code t} for type {@code t}. Cc-only on error. */
    public int encode(int instanceId, int completionCode, long types) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_TYPES, completionCode, 1);
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_TYPES);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU64(TYPES_OFFSET, types);
        return endEncode(messageLength);
    }
}
