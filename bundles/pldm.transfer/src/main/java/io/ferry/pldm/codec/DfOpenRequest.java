package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * DSP0242 DfOpen request (0x07/0x01): {@code u16 file_identifier, bitfield16 df_open_attribute} —
 * 4 bytes exactly. The attribute bits are carried raw.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class DfOpenRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 4;
    public static final int FILE_IDENTIFIER_OFFSET = 0;
    public static final int ATTRIBUTE_OFFSET = 2;

    public DfOpenRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS, ERROR_INVALID_LENGTH unless the payload is 4 bytes, ERROR_INVALID_DATA for a wrong header. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.FILE);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int fileIdentifier() {
        return u16(FILE_IDENTIFIER_OFFSET);
    }

    /** The raw DfOpen attribute bits. */
    public int attributes() {
        return u16(ATTRIBUTE_OFFSET);
    }

    public int encode(int instanceId, int fileIdentifier, int attributes) {
        if (!fitsUnsigned(fileIdentifier, 16) || !fitsUnsigned(attributes, 16)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.FILE, FileTransferCommands.DF_OPEN);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_IDENTIFIER_OFFSET, fileIdentifier);
        putU16(ATTRIBUTE_OFFSET, attributes);
        return endEncode(messageLength);
    }
}
