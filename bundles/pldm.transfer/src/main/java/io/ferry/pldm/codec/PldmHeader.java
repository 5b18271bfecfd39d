package io.ferry.pldm.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Flyweight over the 3-byte DSP0240 PLDM message header.
 *
 * <pre>
 *   byte 0: bit 7 Rq (request), bit 6 D (datagram), bit 5 reserved, bits 4..0 instance id
 *   byte 1: bits 7..6 header version (0), bits 5..0 PLDM type
 *   byte 2: command code
 * </pre>
 *
 * A request has Rq=1, D=0; an asynchronous request/notification (libpldm's
 * {@code PLDM_ASYNC_REQUEST_NOTIFY}) Rq=1, D=1 and gets no response; a response Rq=0, D=0.
 * Responses start their payload with a completion code.
 *
 * <p>Usable as a flyweight ({@link #wrap}, then the getters and setters) or through the static
 * helpers that take {@code (buffer, index)}. Neither allocates nor moves the buffer's position.
 *
 * <p><b>Threading:</b> an instance is mutable and not thread-safe: one thread at a time. The
 * static helpers are stateless.
 */
public final class PldmHeader {
    /** Header length in bytes. */
    public static final int LENGTH = 3;
    /** Byte 0: request bit. */
    public static final int REQUEST_BIT = 0x80;
    /** Byte 0: datagram bit. */
    public static final int DATAGRAM_BIT = 0x40;
    /** Byte 0: the reserved bit (written 0). */
    public static final int RESERVED_BIT = 0x20;
    /** Byte 0: instance id mask. */
    public static final int INSTANCE_ID_MASK = 0x1F;
    /** Highest instance id. */
    public static final int INSTANCE_ID_MAX = 31;
    /** Byte 1: PLDM type mask. */
    public static final int TYPE_MASK = 0x3F;
    /** Highest PLDM type. */
    public static final int TYPE_MAX = 63;
    /** Byte 1: header version shift. */
    public static final int HEADER_VERSION_SHIFT = 6;
    /** The only header version DSP0240 defines. */
    public static final int CURRENT_HEADER_VERSION = 0;

    static final int FLAGS_OFFSET = 0;
    static final int TYPE_OFFSET = 1;
    static final int COMMAND_OFFSET = 2;

    private ByteBuffer buffer;
    private int index;

    /**
     * Wraps the header at {@code index}.
     *
     * @throws IndexOutOfBoundsException if three bytes from {@code index} do not fit the buffer's
     *         limit (a programming error: check the received length first)
     */
    public PldmHeader wrap(ByteBuffer buffer, int index) {
        Objects.checkFromIndexSize(index, LENGTH, buffer.limit());
        this.buffer = buffer;
        this.index = index;
        return this;
    }

    /** The wrapped buffer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Index of the header's first byte in the buffer. */
    public int index() {
        return index;
    }

    public boolean isRequest() {
        return isRequest(buffer, index);
    }

    public boolean isDatagram() {
        return isDatagram(buffer, index);
    }

    public int instanceId() {
        return instanceId(buffer, index);
    }

    public int headerVersion() {
        return headerVersion(buffer, index);
    }

    public int pldmType() {
        return pldmType(buffer, index);
    }

    public int command() {
        return command(buffer, index);
    }

    /**
     * Writes a whole header.
     *
     * @return 0, or {@link PldmCodec#INVALID_ARGUMENT} (nothing written) for an instance id outside
     *         0..31, a type outside 0..63 or a command outside 0..255
     */
    public int set(boolean request, boolean datagram, int instanceId, int pldmType, int command) {
        return put(buffer, index, request, datagram, instanceId, pldmType, command);
    }

    // ---- static helpers over (buffer, index) ------------------------------------------------

    public static boolean isRequest(ByteBuffer buffer, int index) {
        return (buffer.get(index + FLAGS_OFFSET) & REQUEST_BIT) != 0;
    }

    public static boolean isDatagram(ByteBuffer buffer, int index) {
        return (buffer.get(index + FLAGS_OFFSET) & DATAGRAM_BIT) != 0;
    }

    public static int instanceId(ByteBuffer buffer, int index) {
        return buffer.get(index + FLAGS_OFFSET) & INSTANCE_ID_MASK;
    }

    public static int headerVersion(ByteBuffer buffer, int index) {
        return (buffer.get(index + TYPE_OFFSET) & 0xFF) >>> HEADER_VERSION_SHIFT;
    }

    public static int pldmType(ByteBuffer buffer, int index) {
        return buffer.get(index + TYPE_OFFSET) & TYPE_MASK;
    }

    public static int command(ByteBuffer buffer, int index) {
        return buffer.get(index + COMMAND_OFFSET) & 0xFF;
    }

    /**
     * Writes a whole header at {@code index} (header version 0, reserved bit 0).
     *
     * @return 0, or {@link PldmCodec#INVALID_ARGUMENT} (nothing written) for an instance id outside
     *         0..31, a type outside 0..63 or a command outside 0..255
     */
    public static int put(ByteBuffer buffer, int index, boolean request, boolean datagram,
            int instanceId, int pldmType, int command) {
        if (instanceId < 0 || instanceId > INSTANCE_ID_MAX || pldmType < 0 || pldmType > TYPE_MAX
                || command < 0 || command > 0xFF) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int flags = (request ? REQUEST_BIT : 0) | (datagram ? DATAGRAM_BIT : 0) | instanceId;
        buffer.put(index + FLAGS_OFFSET, (byte) flags);
        buffer.put(index + TYPE_OFFSET, (byte) (CURRENT_HEADER_VERSION << HEADER_VERSION_SHIFT | pldmType));
        buffer.put(index + COMMAND_OFFSET, (byte) command);
        return 0;
    }

    /** Writes a request header (Rq=1, D=0); see {@link #put}. */
    public static int putRequest(ByteBuffer buffer, int index, int instanceId, int pldmType, int command) {
        return put(buffer, index, true, false, instanceId, pldmType, command);
    }

    /** Writes a response header (Rq=0, D=0); see {@link #put}. */
    public static int putResponse(ByteBuffer buffer, int index, int instanceId, int pldmType, int command) {
        return put(buffer, index, false, false, instanceId, pldmType, command);
    }

    /**
     * Writes the header of the response to the request whose header is at
     * {@code (request, requestIndex)}: same instance id, type and command; Rq=0, D=0, header
     * version 0. The two regions may be the same (answering in place).
     */
    public static void putResponseFor(ByteBuffer request, int requestIndex, ByteBuffer response, int responseIndex) {
        int instanceId = instanceId(request, requestIndex);
        int type = pldmType(request, requestIndex);
        int command = command(request, requestIndex);
        response.put(responseIndex + FLAGS_OFFSET, (byte) instanceId);
        response.put(responseIndex + TYPE_OFFSET, (byte) type);
        response.put(responseIndex + COMMAND_OFFSET, (byte) command);
    }

    /**
     * Whether the header at {@code response} answers the request header at {@code request}: the
     * request has Rq set, the response has not, and instance id, type and command agree (what
     * libpldm's {@code pldm_msg_hdr_correlate_response} checks).
     */
    public static boolean correlates(ByteBuffer request, int requestIndex, ByteBuffer response, int responseIndex) {
        return isRequest(request, requestIndex) && !isRequest(response, responseIndex)
                && instanceId(request, requestIndex) == instanceId(response, responseIndex)
                && pldmType(request, requestIndex) == pldmType(response, responseIndex)
                && command(request, requestIndex) == command(response, responseIndex);
    }
}
