package io.ferry.netstack.shm.control;

import static io.ferry.netstack.shm.control.ControlMessageDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes control messages (layouts in {@link ControlMessageDescriptor} and {@code PROTOCOL.md})
 * at an absolute offset of a buffer, little-endian whatever the buffer's own order, without
 * touching its position or limit. Every method returns the message's length (send exactly that
 * many bytes as one datagram, with the descriptors {@link ControlMessageDescriptor#fdCount}
 * names) or a negative result code: {@link ControlMessageDescriptor#ERR_BUFFER_TOO_SMALL}, or
 * {@link ControlMessageDescriptor#ERR_BAD_FIELD} when an argument is outside what the protocol
 * allows. An encoded message is checked with the decoder's own validation before it is
 * returned, so this class can never produce a message {@link ControlMessageDecoder} refuses. On
 * error the destination bytes are unspecified.
 *
 * <p>Ids (request, listener, channel) are unsigned 32-bit on the wire except the 64-bit request
 * id; they are passed as {@code long} and must fit. Strings are encoded as UTF-8 (allocates;
 * the control path is not the data path). Stateless and thread-safe.
 */
public final class ControlMessageEncoder {

    private ControlMessageEncoder() {
    }

    /** HELLO: the client's first message. */
    public static int hello(ByteBuffer dst, int offset, long requestId, int minVersion, int maxVersion, int clientPid,
            UUID clientUuid) {
        if (!fits(dst, offset, HELLO_LENGTH)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        if (!isU16(minVersion) || !isU16(maxVersion)) {
            return ERR_BAD_FIELD;
        }
        header(dst, offset, HELLO, HELLO_LENGTH, requestId);
        i32(dst, offset + HELLO_MAGIC_OFFSET, MAGIC);
        u16(dst, offset + HELLO_MIN_VERSION_OFFSET, minVersion);
        u16(dst, offset + HELLO_MAX_VERSION_OFFSET, maxVersion);
        i32(dst, offset + HELLO_CLIENT_PID_OFFSET, clientPid);
        i32(dst, offset + HELLO_RESERVED_OFFSET, 0);
        i64(dst, offset + HELLO_CLIENT_UUID_OFFSET, Long.reverseBytes(clientUuid.getMostSignificantBits()));
        i64(dst, offset + HELLO_CLIENT_UUID_OFFSET + 8, Long.reverseBytes(clientUuid.getLeastSignificantBits()));
        return checked(dst, offset, HELLO_LENGTH, 0);
    }

    /** HELLO_REPLY with status 0: send it with the segment memfd (1 descriptor). */
    public static int helloReply(ByteBuffer dst, int offset, long requestId, int version, int serverPid,
            long maxChannels, long segmentSize, int ringCapacity) {
        if (!fits(dst, offset, HELLO_REPLY_LENGTH)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        if (!isU16(version) || !isU32(maxChannels)) {
            return ERR_BAD_FIELD;
        }
        return helloReply0(dst, offset, requestId, 0, version, serverPid, maxChannels, segmentSize, ringCapacity, 1);
    }

    /**
     * HELLO_REPLY refusing the client (no descriptor; the server closes the connection after it).
     *
     * @param status the errno, e.g. {@link ControlMessageDescriptor#EPROTONOSUPPORT}
     * @param version the highest version the server speaks
     */
    public static int helloReplyRefused(ByteBuffer dst, int offset, long requestId, int status, int version,
            int serverPid) {
        if (!fits(dst, offset, HELLO_REPLY_LENGTH)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        if (status == 0 || !isU16(version)) {
            return ERR_BAD_FIELD;
        }
        return helloReply0(dst, offset, requestId, status, version, serverPid, 0, 0, 0, 0);
    }

    private static int helloReply0(ByteBuffer dst, int offset, long requestId, int status, int version, int serverPid,
            long maxChannels, long segmentSize, int ringCapacity, int fds) {
        header(dst, offset, HELLO_REPLY, HELLO_REPLY_LENGTH, requestId);
        i32(dst, offset + HELLO_REPLY_STATUS_OFFSET, status);
        u16(dst, offset + HELLO_REPLY_VERSION_OFFSET, version);
        u16(dst, offset + HELLO_REPLY_RESERVED_OFFSET, 0);
        i32(dst, offset + HELLO_REPLY_SERVER_PID_OFFSET, serverPid);
        i32(dst, offset + HELLO_REPLY_MAX_CHANNELS_OFFSET, (int) maxChannels);
        i64(dst, offset + HELLO_REPLY_SEGMENT_SIZE_OFFSET, segmentSize);
        i32(dst, offset + HELLO_REPLY_RING_CAPACITY_OFFSET, ringCapacity);
        i32(dst, offset + HELLO_REPLY_RESERVED2_OFFSET, 0);
        return checked(dst, offset, HELLO_REPLY_LENGTH, fds);
    }

    /** LISTEN: {@code backlog} 0 asks for the server's default. */
    public static int listen(ByteBuffer dst, int offset, long requestId, int backlog, String address) {
        byte[] a = address.getBytes(StandardCharsets.UTF_8);
        int length = LISTEN_FIXED_LENGTH + a.length;
        if (a.length > MAX_ADDRESS_LENGTH) {
            return ERR_BAD_FIELD;
        }
        if (!fits(dst, offset, length)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        header(dst, offset, LISTEN, length, requestId);
        i32(dst, offset + LISTEN_BACKLOG_OFFSET, backlog);
        u16(dst, offset + LISTEN_ADDRESS_LENGTH_OFFSET, a.length);
        u16(dst, offset + LISTEN_RESERVED_OFFSET, 0);
        dst.put(offset + LISTEN_ADDRESS_OFFSET, a);
        return checked(dst, offset, length, 0);
    }

    /** LISTEN_REPLY. */
    public static int listenReply(ByteBuffer dst, int offset, long requestId, long listenerId) {
        if (!fits(dst, offset, LISTEN_REPLY_LENGTH)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        if (!isU32(listenerId)) {
            return ERR_BAD_FIELD;
        }
        header(dst, offset, LISTEN_REPLY, LISTEN_REPLY_LENGTH, requestId);
        i32(dst, offset + LISTEN_REPLY_LISTENER_ID_OFFSET, (int) listenerId);
        i32(dst, offset + LISTEN_REPLY_RESERVED_OFFSET, 0);
        return checked(dst, offset, LISTEN_REPLY_LENGTH, 0);
    }

    /** DGRAM_OPEN: CONNECT's layout; {@code address} is the name to bind, {@code ringCapacity} 0 the server's default. */
    public static int dgramOpen(ByteBuffer dst, int offset, long requestId, int ringCapacity, String address) {
        int length = connect(dst, offset, requestId, ringCapacity, address);
        if (length > 0) {
            u16(dst, offset + TYPE_OFFSET, DGRAM_OPEN);
        }
        return length;
    }

    /** DGRAM_READY: CHANNEL_READY's layout (the endpoint's channel id, side A); send it with the same 5 descriptors. */
    public static int dgramReady(ByteBuffer dst, int offset, long requestId, long channelId, int side,
            long channelOffset, int ringCapacity) {
        int length = channelReady(dst, offset, requestId, channelId, side, channelOffset, ringCapacity);
        if (length > 0) {
            u16(dst, offset + TYPE_OFFSET, DGRAM_READY);
        }
        return length;
    }

    /** CONNECT: {@code ringCapacity} 0 asks for the server's default. */
    public static int connect(ByteBuffer dst, int offset, long requestId, int ringCapacity, String address) {
        byte[] a = address.getBytes(StandardCharsets.UTF_8);
        int length = CONNECT_FIXED_LENGTH + a.length;
        if (a.length > MAX_ADDRESS_LENGTH) {
            return ERR_BAD_FIELD;
        }
        if (!fits(dst, offset, length)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        header(dst, offset, CONNECT, length, requestId);
        i32(dst, offset + CONNECT_RING_CAPACITY_OFFSET, ringCapacity);
        u16(dst, offset + CONNECT_ADDRESS_LENGTH_OFFSET, a.length);
        u16(dst, offset + CONNECT_RESERVED_OFFSET, 0);
        dst.put(offset + CONNECT_ADDRESS_OFFSET, a);
        return checked(dst, offset, length, 0);
    }

    /** ACCEPT notification (request id 0); the CHANNEL_READY of {@code channelId} follows it. */
    public static int accept(ByteBuffer dst, int offset, long listenerId, long channelId, int peerPid,
            String peerAddress) {
        byte[] a = peerAddress.getBytes(StandardCharsets.UTF_8);
        int length = ACCEPT_FIXED_LENGTH + a.length;
        if (a.length > MAX_ADDRESS_LENGTH || !isU32(listenerId) || !isU32(channelId)) {
            return ERR_BAD_FIELD;
        }
        if (!fits(dst, offset, length)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        header(dst, offset, ACCEPT, length, 0);
        i32(dst, offset + ACCEPT_LISTENER_ID_OFFSET, (int) listenerId);
        i32(dst, offset + ACCEPT_CHANNEL_ID_OFFSET, (int) channelId);
        i32(dst, offset + ACCEPT_PEER_PID_OFFSET, peerPid);
        u16(dst, offset + ACCEPT_ADDRESS_LENGTH_OFFSET, a.length);
        u16(dst, offset + ACCEPT_RESERVED_OFFSET, 0);
        dst.put(offset + ACCEPT_ADDRESS_OFFSET, a);
        return checked(dst, offset, length, 0);
    }

    /**
     * CHANNEL_READY: send it with the channel's memfd and 4 eventfds in the order
     * {@code FD_MEMORY, FD_DATA_IN, FD_SPACE_OUT, FD_DATA_OUT, FD_SPACE_IN} of the receiving side.
     *
     * @param requestId the CONNECT's request id, or 0 after an ACCEPT
     */
    public static int channelReady(ByteBuffer dst, int offset, long requestId, long channelId, int side,
            long channelOffset, int ringCapacity) {
        if (!fits(dst, offset, CHANNEL_READY_LENGTH)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        if (!isU32(channelId) || !isU16(side)) {
            return ERR_BAD_FIELD;
        }
        header(dst, offset, CHANNEL_READY, CHANNEL_READY_LENGTH, requestId);
        i32(dst, offset + CHANNEL_READY_CHANNEL_ID_OFFSET, (int) channelId);
        u16(dst, offset + CHANNEL_READY_SIDE_OFFSET, side);
        u16(dst, offset + CHANNEL_READY_FLAGS_OFFSET, 0);
        i64(dst, offset + CHANNEL_READY_OFFSET_OFFSET, channelOffset);
        i32(dst, offset + CHANNEL_READY_RING_CAPACITY_OFFSET, ringCapacity);
        i32(dst, offset + CHANNEL_READY_RESERVED_OFFSET, 0);
        return checked(dst, offset, CHANNEL_READY_LENGTH, CHANNEL_FD_COUNT);
    }

    /**
     * CLOSE.
     *
     * @param kind {@link ControlMessageDescriptor#KIND_CHANNEL} or {@link ControlMessageDescriptor#KIND_LISTENER}
     * @param reason 0, or the errno why
     */
    public static int close(ByteBuffer dst, int offset, long requestId, long id, int kind, int reason) {
        if (!fits(dst, offset, CLOSE_LENGTH)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        if (!isU32(id) || !isU16(kind)) {
            return ERR_BAD_FIELD;
        }
        header(dst, offset, CLOSE, CLOSE_LENGTH, requestId);
        i32(dst, offset + CLOSE_ID_OFFSET, (int) id);
        u16(dst, offset + CLOSE_KIND_OFFSET, kind);
        u16(dst, offset + CLOSE_RESERVED_OFFSET, 0);
        i32(dst, offset + CLOSE_REASON_OFFSET, reason);
        i32(dst, offset + CLOSE_RESERVED2_OFFSET, 0);
        return checked(dst, offset, CLOSE_LENGTH, 0);
    }

    /**
     * ERROR. A text longer than {@link ControlMessageDescriptor#MAX_ERROR_TEXT_LENGTH} bytes is cut
     * at a character boundary (an error report is never refused for its length).
     *
     * @param requestId the failed request's id, or 0
     * @param code a Linux errno, positive
     * @param fatal true if the server closes the connection right after this message
     */
    public static int error(ByteBuffer dst, int offset, long requestId, int code, boolean fatal, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(t.length, MAX_ERROR_TEXT_LENGTH);
        while (n < t.length && n > 0 && (t[n] & 0xC0) == 0x80) {
            n--; // do not split a UTF-8 sequence
        }
        int length = ERROR_FIXED_LENGTH + n;
        if (!fits(dst, offset, length)) {
            return ERR_BUFFER_TOO_SMALL;
        }
        header(dst, offset, ERROR, length, requestId);
        i32(dst, offset + ERROR_CODE_OFFSET, code);
        u16(dst, offset + ERROR_FLAGS_OFFSET, fatal ? ERROR_FLAG_FATAL : 0);
        u16(dst, offset + ERROR_TEXT_LENGTH_OFFSET, n);
        dst.put(offset + ERROR_TEXT_OFFSET, t, 0, n);
        return checked(dst, offset, length, 0);
    }

    // ---- helpers ----

    private static boolean fits(ByteBuffer dst, int offset, int length) {
        // The limit, not the capacity: absolute puts beyond the limit throw.
        return offset >= 0 && offset <= dst.limit() - length;
    }

    private static boolean isU16(int v) {
        return (v & ~0xFFFF) == 0;
    }

    private static boolean isU32(long v) {
        return (v & ~0xFFFF_FFFFL) == 0;
    }

    private static void header(ByteBuffer dst, int offset, int type, int length, long requestId) {
        u16(dst, offset + TYPE_OFFSET, type);
        u16(dst, offset + FLAGS_OFFSET, 0);
        i32(dst, offset + LENGTH_OFFSET, length);
        i64(dst, offset + REQUEST_ID_OFFSET, requestId);
    }

    private static int checked(ByteBuffer dst, int offset, int length, int fds) {
        int result = ControlMessageDecoder.validate(dst, offset, length, fds);
        return result > 0 ? length : ERR_BAD_FIELD;
    }

    private static void u16(ByteBuffer b, int at, int v) {
        SHORT.set(b, at, (short) v);
    }

    private static void i32(ByteBuffer b, int at, int v) {
        INT.set(b, at, v);
    }

    private static void i64(ByteBuffer b, int at, long v) {
        LONG.set(b, at, v);
    }
}
