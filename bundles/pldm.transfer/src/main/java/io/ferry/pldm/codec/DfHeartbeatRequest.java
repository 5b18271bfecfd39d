package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * DSP0242 DfHeartbeat request (0x07/0x03): {@code u16 file_descriptor, u32 requester_max_interval}
 * — 6 bytes exactly.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class DfHeartbeatRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 6;
    public static final int FILE_DESCRIPTOR_OFFSET = 0;
    public static final int MAX_INTERVAL_OFFSET = 2;

    public DfHeartbeatRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS, ERROR_INVALID_LENGTH unless the payload is 6 bytes, ERROR_INVALID_DATA for a wrong header. */
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

    /** The longest interval the requester promises between heartbeats (milliseconds in DSP0242). */
    public long requesterMaxInterval() {
        return u32(MAX_INTERVAL_OFFSET);
    }

    public int encode(int instanceId, int fileDescriptor, long requesterMaxInterval) {
        if (!fitsUnsigned(fileDescriptor, 16) || !fitsUnsigned(requesterMaxInterval, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.FILE, FileTransferCommands.DF_HEARTBEAT);
        if (rc < 0) {
            return rc;
        }
        putU16(FILE_DESCRIPTOR_OFFSET, fileDescriptor);
        putU32(MAX_INTERVAL_OFFSET, requesterMaxInterval);
        return endEncode(messageLength);
    }
}
