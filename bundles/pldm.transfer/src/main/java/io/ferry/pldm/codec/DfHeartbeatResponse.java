package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * DSP0242 DfHeartbeat response (0x07/0x03): {@code u8 cc, u32 responder_max_interval} — 5 bytes on
 * success, the completion code alone on error (as libpldm encodes it).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class DfHeartbeatResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 5;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int MAX_INTERVAL_OFFSET = 1;

    public DfHeartbeatResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** Checks header and length; see {@link PldmMessageFlyweight#checkFixedResponse}. */
    public int validate() {
        int cc = checkHeader(false, PldmTypes.FILE);
        return cc != CompletionCodes.SUCCESS ? cc : checkFixedResponse(PAYLOAD_LENGTH);
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    public long responderMaxInterval() {
        return u32(MAX_INTERVAL_OFFSET);
    }

    /** Encodes the response; cc-only on error ({@code responderMaxInterval} ignored). */
    public int encode(int instanceId, int completionCode, long responderMaxInterval) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.FILE, FileTransferCommands.DF_HEARTBEAT, completionCode, 1);
        }
        if (!fitsUnsigned(responderMaxInterval, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.FILE, FileTransferCommands.DF_HEARTBEAT);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU32(MAX_INTERVAL_OFFSET, responderMaxInterval);
        return endEncode(messageLength);
    }
}
