package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * NegotiateTransferParameters request (base 0x07, DSP0240 1.2): {@code u16 requester_part_size,
 * bitfield8[8] requester_protocol_support} — 10 bytes exactly. The protocol bitfield is exposed as
 * one {@code long} read little-endian: bit {@code t} set means the requester can do multipart
 * transfers for PLDM type {@code t} (0x80 in byte 0 is type 0x07, file transfer).
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class NegotiateTransferParametersRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 10;
    public static final int PART_SIZE_OFFSET = 0;
    public static final int PROTOCOL_SUPPORT_OFFSET = 2;

    public NegotiateTransferParametersRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS, ERROR_INVALID_LENGTH unless the payload is 10 bytes, ERROR_INVALID_DATA for a wrong header. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.BASE);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int requesterPartSize() {
        return u16(PART_SIZE_OFFSET);
    }

    /** The protocol support bits: bit {@code t} for PLDM type {@code t}. */
    public long requesterProtocolSupport() {
        return u64(PROTOCOL_SUPPORT_OFFSET);
    }

    public int encode(int instanceId, int requesterPartSize, long requesterProtocolSupport) {
        if (!fitsUnsigned(requesterPartSize, 16)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.BASE,
                BaseCommands.NEGOTIATE_TRANSFER_PARAMETERS);
        if (rc < 0) {
            return rc;
        }
        putU16(PART_SIZE_OFFSET, requesterPartSize);
        putU64(PROTOCOL_SUPPORT_OFFSET, requesterProtocolSupport);
        return endEncode(messageLength);
    }
}
