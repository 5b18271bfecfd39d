package io.ferry.pldm.mctp;

import java.nio.ByteBuffer;

/**
 * The mctp-demux framing (openbmc/libmctp's demux daemon, libpldm {@code src/transport/mctp-demux.c}):
 * a client's first datagram is the one-byte MCTP message type it registers for; every later
 * datagram is {@code [u8 eid][u8 type][message]}. Offsets are from the datagram's start; single
 * bytes, so no byte order applies. Stateless; any thread.
 */
public final class MctpFraming {
    /** The abstract socket name of the demux daemon, without the leading NUL. */
    public static final String DEFAULT_SOCKET_NAME = "mctp-mux";
    /** MCTP message type of PLDM (DSP0239). */
    public static final int TYPE_PLDM = 0x01;
    /** Length of the registration datagram a client sends first. */
    public static final int REGISTRATION_LENGTH = 1;
    /** Offset of the endpoint id: destination when a client sends, source when it receives. */
    public static final int EID_OFFSET = 0;
    /** Offset of the MCTP message type byte. */
    public static final int TYPE_OFFSET = 1;
    /** Offset of the carried message (a whole PLDM message: header and payload). */
    public static final int MESSAGE_OFFSET = 2;
    /** The prefix before the message. */
    public static final int PREFIX_LENGTH = MESSAGE_OFFSET;
    /** The shortest PLDM message: its 3-byte header. */
    public static final int MIN_PLDM_MESSAGE = 3;
    /** The highest endpoint id; 0 is the null EID and 0xFF the broadcast EID (DSP0236). */
    public static final int MAX_EID = 0xFF;

    private MctpFraming() {
    }

    /**
     * Writes {@code [eid][type]} and then {@code message}'s remaining bytes at index 0 of
     * {@code frame}, leaving {@code frame}'s position at 0 and its limit at the end of the packet;
     * {@code message}'s position does not move.
     *
     * @return the packet length, or -1 if it does not fit {@code frame}'s capacity
     */
    public static int encode(ByteBuffer frame, int eid, int type, ByteBuffer message) {
        int length = PREFIX_LENGTH + message.remaining();
        if (length > frame.capacity()) {
            return -1;
        }
        frame.clear();
        frame.put(EID_OFFSET, (byte) eid);
        frame.put(TYPE_OFFSET, (byte) type);
        frame.put(MESSAGE_OFFSET, message, message.position(), message.remaining());
        frame.limit(length);
        return length;
    }

    /** @return the eid byte of a packet at {@code index}, 0..255. */
    public static int eid(ByteBuffer packet, int index) {
        return packet.get(index + EID_OFFSET) & 0xFF;
    }

    /** @return the type byte of a packet at {@code index}, 0..255. */
    public static int type(ByteBuffer packet, int index) {
        return packet.get(index + TYPE_OFFSET) & 0xFF;
    }

    /** @return whether {@code eid} is a valid unicast destination (1..254). */
    public static boolean isUnicastEid(int eid) {
        return eid > 0 && eid < MAX_EID;
    }
}
