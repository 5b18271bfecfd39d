package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * GetPLDMCommands request (base 0x05): {@code u8 type, ver32 version} — 5 bytes exactly.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetPldmCommandsRequest extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 5;
    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;

    public GetPldmCommandsRequest wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** SUCCESS, ERROR_INVALID_LENGTH unless the payload is 5 bytes, ERROR_INVALID_DATA for a wrong header. */
    public int validate() {
        int cc = checkHeader(true, PldmTypes.BASE);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        return payloadLength() == PAYLOAD_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    /** The PLDM type whose commands are asked for. */
    public int type() {
        return u8(TYPE_OFFSET);
    }

    /** The version of that type ({@link Ver32} layout). */
    public int version() {
        return i32(VERSION_OFFSET);
    }

    public int encode(int instanceId, int type, int version) {
        if (!fitsUnsigned(type, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, true, instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_COMMANDS);
        if (rc < 0) {
            return rc;
        }
        putU8(TYPE_OFFSET, type);
        putU32(VERSION_OFFSET, version & 0xFFFF_FFFFL);
        return endEncode(messageLength);
    }
}
