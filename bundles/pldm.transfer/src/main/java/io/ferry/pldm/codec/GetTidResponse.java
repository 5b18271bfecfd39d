package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * GetTID response (base 0x02): {@code u8 cc, u8 tid}; on error the completion code alone (what
 * libpldm's {@code encode_pldm_base_get_tid_resp} writes).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetTidResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 2;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int TID_OFFSET = 1;

    public GetTidResponse wrap(ByteBuffer buffer, int offset, int length) {
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

    /** The terminus id (valid on success only). */
    public int tid() {
        return u8(TID_OFFSET);
    }

    /**
     * Encodes the response: {@code cc, tid} on success, the completion code alone otherwise
     * ({@code tid} is then ignored).
     */
    public int encode(int instanceId, int completionCode, int tid) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.BASE, BaseCommands.GET_TID, completionCode, 1);
        }
        if (!fitsUnsigned(tid, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.BASE, BaseCommands.GET_TID);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU8(TID_OFFSET, tid);
        return endEncode(messageLength);
    }
}
