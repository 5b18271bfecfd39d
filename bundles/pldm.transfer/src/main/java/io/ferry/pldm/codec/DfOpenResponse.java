package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * DSP0242 DfOpen response (0x07/0x01): {@code u8 cc, u16 file_descriptor} — 3 bytes on success,
 * the completion code alone on error (as libpldm encodes it).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class DfOpenResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 3;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int FILE_DESCRIPTOR_OFFSET = 1;

    public DfOpenResponse wrap(ByteBuffer buffer, int offset, int length) {
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

    public int fileDescriptor() {
        return u16(FILE_DESCRIPTOR_OFFSET);
    }

    /** Encodes the response; cc-only on error ({@code fileDescriptor} ignored). */
    public int encode(int instanceId, int completionCode, int fileDescriptor) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.FILE, FileTransferCommands.DF_OPEN, completionCode, 1);
        }
        if (!fitsUnsigned(fileDescriptor, 16)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.FILE, FileTransferCommands.DF_OPEN);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU16(FILE_DESCRIPTOR_OFFSET, fileDescriptor);
        return endEncode(messageLength);
    }
}
