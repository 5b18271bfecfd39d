package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * DSP0242 DfClose request (0x07/0x02): {@code u16 file_descriptor, bitfield16 df_close_options} —
 * 4 bytes exactly. Answered with a {@link CcOnlyResponse}.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class DfCloseRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 4;
    public static final int FILE_DESCRIPTOR_OFFSET = 0;
    public static final int OPTIONS_OFFSET = 2;

    public DfCloseRequest wrap(ByteBuffer buffer, int offset, int length) {
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

    public int fileDescriptor() {
        return u16(FILE_DESCRIPTOR_OFFSET);
    }

    /** The raw DfClose option bits. */
    public int options() {
        return u16(OPTIONS_OFFSET);
    }

    public int encode(int instanceId, int fileDescriptor, int options) {
        if (!fitsUnsigned(fileDescriptor, 16) || !fitsUnsigned(options, 16)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.FILE, FileTransferCommands.DF_CLOSE);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_DESCRIPTOR_OFFSET, fileDescriptor);
        putU16(OPTIONS_OFFSET, options);
        return endEncode(messageLength);
    }
}
