package io.ferry.netstack.shm.dgram;

/**
 * The layout of one datagram record in a byte ring (PROTOCOL.md section 8), little-endian:
 *
 * <pre>
 * offset size field
 *      0    4 TAG             'D','G','R','M' = 0x4D524744: every record starts with it
 *      4    2 ADDRESS_LENGTH  a, 1..255
 *      6    2 PAYLOAD_LENGTH  n, 0..65535
 *      8    a ADDRESS         UTF-8, no NUL: the destination in a client's outgoing ring, the source in its incoming ring
 *  8 + a    n PAYLOAD
 * </pre>
 *
 * A record occupies {@code 8 + a + n} bytes of the ring, with no padding; its bytes may wrap at the
 * end of the data area like any stream bytes. The producer publishes a record with one
 * {@code WRITE_INDEX} store after all its bytes, so a consumer never sees part of one: readable
 * bytes that end inside a record are a hostile peer's.
 */
public final class DatagramRecordDescriptor {
    /** The tag value, {@code 'D','G','R','M'} read as a little-endian u32. */
    public static final int TAG = 0x4D524744;
    public static final int TAG_OFFSET = 0;
    public static final int ADDRESS_LENGTH_OFFSET = 4;
    public static final int PAYLOAD_LENGTH_OFFSET = 6;
    /** Bytes before the address. */
    public static final int HEADER_LENGTH = 8;
    public static final int MAX_ADDRESS_LENGTH = 255;
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;
    /** The longest record there can be: 8 + 255 + 65535. */
    public static final int MAX_RECORD_LENGTH = HEADER_LENGTH + MAX_ADDRESS_LENGTH + MAX_PAYLOAD_LENGTH;

    private DatagramRecordDescriptor() {
    }

    /** @return the ring bytes a record with an address of {@code a} bytes and {@code n} payload bytes takes. */
    public static int recordLength(int addressLength, int payloadLength) {
        return HEADER_LENGTH + addressLength + payloadLength;
    }

    /**
     * @param maxWholeWrite the most a ring takes at once (its capacity rounded down to 32)
     * @return the largest payload that fits with an address of {@code addressLength} bytes (at most
     *     65535), or -1 if not even an empty one does
     */
    public static int maxPayload(int maxWholeWrite, int addressLength) {
        int room = maxWholeWrite - HEADER_LENGTH - addressLength;
        return room < 0 ? -1 : Math.min(room, MAX_PAYLOAD_LENGTH);
    }
}
