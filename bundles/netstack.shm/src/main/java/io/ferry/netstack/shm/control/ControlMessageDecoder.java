package io.ferry.netstack.shm.control;

import static io.ferry.netstack.shm.control.ControlMessageDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A validating flyweight over one received control message. {@link #wrap} checks the
 * <em>whole</em> message — header, length, type, every field, the descriptor count — before any
 * getter can be used, and answers with the message type or a negative result code of
 * {@link ControlMessageDescriptor} ({@code ERR_*}); it never throws for anything in the bytes and
 * never reads outside {@code [offset, offset + length)}. The checks run in the order written in
 * {@code PROTOCOL.md} ("Validation order"), so a given malformed message always gets the same code.
 *
 * <p>After a successful wrap the typed getters of that message type read the fields (a getter of
 * another type throws {@link IllegalStateException}: a caller bug, not bad input). Fields that
 * are unsigned on the wire and may exceed {@code int} are returned as {@code long}. The getters
 * re-read the buffer, so a caller that keeps the message must not let the buffer be overwritten.
 *
 * <p><b>Threading:</b> one thread at a time per instance; reusable ({@code wrap} again).
 * {@code wrap} and the numeric getters allocate nothing; the String/UUID getters do.
 */
public final class ControlMessageDecoder {

    private ByteBuffer buffer;
    private int offset;
    private int length;
    private int type;

    /**
     * Validates the datagram at {@code buffer[offset, offset + length)} that arrived with
     * {@code fdCount} descriptors, and wraps it on success.
     *
     * @param length the datagram's length as received; if the receive reported truncation pass
     *     any value above {@link ControlMessageDescriptor#MAX_MESSAGE_LENGTH}
     * @return the message type (&gt; 0), or a negative {@code ERR_*} code; on error nothing is
     *     wrapped
     * @throws IllegalArgumentException if {@code offset}/{@code length} do not describe a range of
     *     {@code buffer} (a caller bug), or {@code fdCount} is negative
     */
    public int wrap(ByteBuffer buffer, int offset, int length, int fdCount) {
        this.type = 0;
        this.buffer = null;
        if (length > MAX_MESSAGE_LENGTH) {
            return ERR_TOO_LONG; // may be a truncation marker: the range need not exist
        }
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length || fdCount < 0) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside a buffer of "
                    + buffer.capacity() + " bytes, or fdCount " + fdCount);
        }
        int result = validate(buffer, offset, length, fdCount);
        if (result > 0) {
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
            this.type = result;
        }
        return result;
    }

    /** The whole-message check behind {@link #wrap}; the range must lie inside the buffer. */
    static int validate(ByteBuffer b, int o, int length, int fdCount) {
        if (length < HEADER_LENGTH) {
            return ERR_TOO_SHORT;
        }
        int declared = i32(b, o + LENGTH_OFFSET);
        if (declared != length) {
            return ERR_LENGTH_MISMATCH;
        }
        int type = u16(b, o + TYPE_OFFSET);
        if (u16(b, o + FLAGS_OFFSET) != 0) {
            return ERR_BAD_FIELD;
        }
        if (isReservedType(type)) {
            return ERR_UNSUPPORTED_TYPE;
        }
        if (!isKnownType(type)) {
            return ERR_UNKNOWN_TYPE;
        }
        int fixed = fixedLength(type);
        if (length < fixed) {
            return ERR_TOO_SHORT;
        }
        if (length > fixed + maxVariableLength(type)) {
            return ERR_TOO_LONG;
        }
        long requestId = i64(b, o + REQUEST_ID_OFFSET);
        int status = 0;
        boolean ok;
        switch (layoutOf(type)) {
            case HELLO:
                ok = requestId != 0
                        && i32(b, o + HELLO_MAGIC_OFFSET) == MAGIC
                        && u16(b, o + HELLO_MIN_VERSION_OFFSET) >= 1
                        && u16(b, o + HELLO_MIN_VERSION_OFFSET) <= u16(b, o + HELLO_MAX_VERSION_OFFSET)
                        && i32(b, o + HELLO_CLIENT_PID_OFFSET) > 0
                        && i32(b, o + HELLO_RESERVED_OFFSET) == 0;
                break;
            case HELLO_REPLY: {
                status = i32(b, o + HELLO_REPLY_STATUS_OFFSET);
                long segment = i64(b, o + HELLO_REPLY_SEGMENT_SIZE_OFFSET);
                int ring = i32(b, o + HELLO_REPLY_RING_CAPACITY_OFFSET);
                int maxChannels = i32(b, o + HELLO_REPLY_MAX_CHANNELS_OFFSET);
                boolean fields = status == 0
                        ? maxChannels != 0 && isRingCapacity(ring)
                                && segment >= channelSize(MIN_RING_CAPACITY) && (segment & (CHANNEL_ALIGNMENT - 1)) == 0
                        : segment == 0 && ring == 0 && maxChannels == 0;
                ok = requestId != 0
                        && status >= 0 && status <= MAX_ERRNO
                        && u16(b, o + HELLO_REPLY_VERSION_OFFSET) >= 1
                        && u16(b, o + HELLO_REPLY_RESERVED_OFFSET) == 0
                        && i32(b, o + HELLO_REPLY_SERVER_PID_OFFSET) > 0
                        && i32(b, o + HELLO_REPLY_RESERVED2_OFFSET) == 0
                        && fields;
                break;
            }
            case LISTEN: {
                int backlog = i32(b, o + LISTEN_BACKLOG_OFFSET);
                int n = u16(b, o + LISTEN_ADDRESS_LENGTH_OFFSET);
                ok = requestId != 0
                        && backlog >= 0 && backlog <= MAX_BACKLOG
                        && n >= 1 && LISTEN_FIXED_LENGTH + n == length
                        && u16(b, o + LISTEN_RESERVED_OFFSET) == 0
                        && isValidUtf8(b, o + LISTEN_ADDRESS_OFFSET, n);
                break;
            }
            case LISTEN_REPLY:
                ok = requestId != 0
                        && i32(b, o + LISTEN_REPLY_LISTENER_ID_OFFSET) != 0
                        && i32(b, o + LISTEN_REPLY_RESERVED_OFFSET) == 0;
                break;
            case CONNECT: {
                int ring = i32(b, o + CONNECT_RING_CAPACITY_OFFSET);
                int n = u16(b, o + CONNECT_ADDRESS_LENGTH_OFFSET);
                ok = requestId != 0
                        && (ring == 0 || isRingCapacity(ring))
                        && n >= 1 && CONNECT_FIXED_LENGTH + n == length
                        && u16(b, o + CONNECT_RESERVED_OFFSET) == 0
                        && isValidUtf8(b, o + CONNECT_ADDRESS_OFFSET, n);
                break;
            }
            case ACCEPT: {
                int n = u16(b, o + ACCEPT_ADDRESS_LENGTH_OFFSET);
                ok = requestId == 0
                        && i32(b, o + ACCEPT_LISTENER_ID_OFFSET) != 0
                        && i32(b, o + ACCEPT_CHANNEL_ID_OFFSET) != 0
                        && i32(b, o + ACCEPT_PEER_PID_OFFSET) >= 0
                        && ACCEPT_FIXED_LENGTH + n == length
                        && u16(b, o + ACCEPT_RESERVED_OFFSET) == 0
                        && isValidUtf8(b, o + ACCEPT_ADDRESS_OFFSET, n);
                break;
            }
            case CHANNEL_READY: {
                int side = u16(b, o + CHANNEL_READY_SIDE_OFFSET);
                long channelOffset = i64(b, o + CHANNEL_READY_OFFSET_OFFSET);
                int ring = i32(b, o + CHANNEL_READY_RING_CAPACITY_OFFSET);
                ok = i32(b, o + CHANNEL_READY_CHANNEL_ID_OFFSET) != 0
                        && (side == SIDE_A || side == SIDE_B)
                        && u16(b, o + CHANNEL_READY_FLAGS_OFFSET) == 0
                        && isRingCapacity(ring)
                        && channelFits(channelOffset, ring, Long.MAX_VALUE)
                        && i32(b, o + CHANNEL_READY_RESERVED_OFFSET) == 0;
                break;
            }
            case CLOSE: {
                int kind = u16(b, o + CLOSE_KIND_OFFSET);
                int reason = i32(b, o + CLOSE_REASON_OFFSET);
                ok = i32(b, o + CLOSE_ID_OFFSET) != 0
                        && (kind == KIND_CHANNEL || kind == KIND_LISTENER)
                        && u16(b, o + CLOSE_RESERVED_OFFSET) == 0
                        && reason >= 0 && reason <= MAX_ERRNO
                        && i32(b, o + CLOSE_RESERVED2_OFFSET) == 0;
                break;
            }
            case ERROR: {
                int code = i32(b, o + ERROR_CODE_OFFSET);
                int n = u16(b, o + ERROR_TEXT_LENGTH_OFFSET);
                ok = code >= 1 && code <= MAX_ERRNO
                        && (u16(b, o + ERROR_FLAGS_OFFSET) & ~ERROR_FLAG_FATAL) == 0
                        && ERROR_FIXED_LENGTH + n == length
                        && isValidUtf8(b, o + ERROR_TEXT_OFFSET, n);
                break;
            }
            default:
                return ERR_UNKNOWN_TYPE; // unreachable: isKnownType
        }
        if (!ok) {
            return ERR_BAD_FIELD;
        }
        if (fdCount != ControlMessageDescriptor.fdCount(type, status)) {
            return ERR_FD_COUNT;
        }
        return type;
    }

    private static boolean isRingCapacity(int capacity) {
        return capacity >= MIN_RING_CAPACITY && capacity <= MAX_RING_CAPACITY;
    }

    /**
     * @return true if {@code n} bytes at {@code at} are well-formed UTF-8 (no overlong forms, no
     *     surrogates, nothing above U+10FFFF) without a NUL byte. Allocates nothing.
     */
    static boolean isValidUtf8(ByteBuffer b, int at, int n) {
        int end = at + n;
        int i = at;
        while (i < end) {
            int c = b.get(i) & 0xFF;
            if (c == 0) {
                return false;
            }
            if (c < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            int cp;
            if ((c & 0xE0) == 0xC0) {
                extra = 1;
                min = 0x80;
                cp = c & 0x1F;
            } else if ((c & 0xF0) == 0xE0) {
                extra = 2;
                min = 0x800;
                cp = c & 0x0F;
            } else if ((c & 0xF8) == 0xF0) {
                extra = 3;
                min = 0x10000;
                cp = c & 0x07;
            } else {
                return false;
            }
            if (extra > end - i - 1) {
                return false;
            }
            for (int k = 1; k <= extra; k++) {
                int cc = b.get(i + k) & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += extra + 1;
        }
        return true;
    }

    // ---- header ----

    /** @return the wrapped message's type, or 0 if nothing is wrapped. */
    public int type() {
        return type;
    }

    /** @return the wrapped message's length (header included). */
    public int length() {
        check(type);
        return length;
    }

    /** @return the request id (0 in notifications). */
    public long requestId() {
        check(type);
        return i64(buffer, offset + REQUEST_ID_OFFSET);
    }

    // ---- HELLO ----

    public int helloMinVersion() {
        return u16(HELLO, HELLO_MIN_VERSION_OFFSET);
    }

    public int helloMaxVersion() {
        return u16(HELLO, HELLO_MAX_VERSION_OFFSET);
    }

    public int helloClientPid() {
        return i32(HELLO, HELLO_CLIENT_PID_OFFSET);
    }

    /** @return the first 8 UUID bytes read big-endian (RFC 9562 order), as {@link UUID#getMostSignificantBits()}. */
    public long helloUuidMostSignificantBits() {
        check(HELLO);
        return Long.reverseBytes(i64(buffer, offset + HELLO_CLIENT_UUID_OFFSET));
    }

    /** @return the last 8 UUID bytes read big-endian, as {@link UUID#getLeastSignificantBits()}. */
    public long helloUuidLeastSignificantBits() {
        check(HELLO);
        return Long.reverseBytes(i64(buffer, offset + HELLO_CLIENT_UUID_OFFSET + 8));
    }

    /** @return the client UUID (allocates). */
    public UUID helloUuid() {
        return new UUID(helloUuidMostSignificantBits(), helloUuidLeastSignificantBits());
    }

    // ---- HELLO_REPLY ----

    /** @return 0, or the errno why the server refused (then no segment fd came and the server closes). */
    public int helloReplyStatus() {
        return i32(HELLO_REPLY, HELLO_REPLY_STATUS_OFFSET);
    }

    public int helloReplyVersion() {
        return u16(HELLO_REPLY, HELLO_REPLY_VERSION_OFFSET);
    }

    public int helloReplyServerPid() {
        return i32(HELLO_REPLY, HELLO_REPLY_SERVER_PID_OFFSET);
    }

    public long helloReplyMaxChannels() {
        return u32(HELLO_REPLY, HELLO_REPLY_MAX_CHANNELS_OFFSET);
    }

    public long helloReplySegmentSize() {
        check(HELLO_REPLY);
        return i64(buffer, offset + HELLO_REPLY_SEGMENT_SIZE_OFFSET);
    }

    public int helloReplyRingCapacity() {
        return i32(HELLO_REPLY, HELLO_REPLY_RING_CAPACITY_OFFSET);
    }

    // ---- LISTEN ----

    public int listenBacklog() {
        return i32(LISTEN, LISTEN_BACKLOG_OFFSET);
    }

    /** @return the address (allocates). */
    public String listenAddress() {
        return string(LISTEN, LISTEN_ADDRESS_OFFSET, LISTEN_ADDRESS_LENGTH_OFFSET);
    }

    // ---- LISTEN_REPLY ----

    public long listenReplyListenerId() {
        return u32(LISTEN_REPLY, LISTEN_REPLY_LISTENER_ID_OFFSET);
    }

    // ---- CONNECT ----

    /** @return the requested ring capacity, 0 for the server's default. */
    public int connectRingCapacity() {
        return i32(CONNECT, CONNECT_RING_CAPACITY_OFFSET);
    }

    /** @return the address (allocates). */
    public String connectAddress() {
        return string(CONNECT, CONNECT_ADDRESS_OFFSET, CONNECT_ADDRESS_LENGTH_OFFSET);
    }

    // ---- ACCEPT ----

    public long acceptListenerId() {
        return u32(ACCEPT, ACCEPT_LISTENER_ID_OFFSET);
    }

    public long acceptChannelId() {
        return u32(ACCEPT, ACCEPT_CHANNEL_ID_OFFSET);
    }

    public int acceptPeerPid() {
        return i32(ACCEPT, ACCEPT_PEER_PID_OFFSET);
    }

    /** @return the connecting peer's address, possibly empty (allocates). */
    public String acceptPeerAddress() {
        return string(ACCEPT, ACCEPT_ADDRESS_OFFSET, ACCEPT_ADDRESS_LENGTH_OFFSET);
    }

    // ---- CHANNEL_READY ----

    public long channelReadyChannelId() {
        return u32(CHANNEL_READY, CHANNEL_READY_CHANNEL_ID_OFFSET);
    }

    /** @return {@link ControlMessageDescriptor#SIDE_A} or {@link ControlMessageDescriptor#SIDE_B}. */
    public int channelReadySide() {
        return u16(CHANNEL_READY, CHANNEL_READY_SIDE_OFFSET);
    }

    /** @return the channel's offset in the segment: 64-aligned; check it with {@link ControlMessageDescriptor#channelFits}. */
    public long channelReadyOffset() {
        check(CHANNEL_READY);
        return i64(buffer, offset + CHANNEL_READY_OFFSET_OFFSET);
    }

    public int channelReadyRingCapacity() {
        return i32(CHANNEL_READY, CHANNEL_READY_RING_CAPACITY_OFFSET);
    }

    // ---- CLOSE ----

    public long closeId() {
        return u32(CLOSE, CLOSE_ID_OFFSET);
    }

    /** @return {@link ControlMessageDescriptor#KIND_CHANNEL} or {@link ControlMessageDescriptor#KIND_LISTENER}. */
    public int closeKind() {
        return u16(CLOSE, CLOSE_KIND_OFFSET);
    }

    /** @return 0 for an orderly close, else the errno why (EPROTO: hostile input on that channel). */
    public int closeReason() {
        return i32(CLOSE, CLOSE_REASON_OFFSET);
    }

    // ---- ERROR ----

    /** @return the errno, positive. */
    public int errorCode() {
        return i32(ERROR, ERROR_CODE_OFFSET);
    }

    public int errorFlags() {
        return u16(ERROR, ERROR_FLAGS_OFFSET);
    }

    /** @return true if the server closes the connection after this ERROR. */
    public boolean errorFatal() {
        return (errorFlags() & ERROR_FLAG_FATAL) != 0;
    }

    /** @return the error text (allocates). */
    public String errorText() {
        return string(ERROR, ERROR_TEXT_OFFSET, ERROR_TEXT_LENGTH_OFFSET);
    }

    // ---- helpers ----

    private void check(int expected) {
        if (type == 0 || (type != expected && layoutOf(type) != expected)) {
            throw new IllegalStateException("wrapped " + (type == 0 ? "nothing" : typeName(type))
                    + ", asked for a field of " + typeName(expected));
        }
    }

    private int u16(int expected, int field) {
        check(expected);
        return u16(buffer, offset + field);
    }

    private int i32(int expected, int field) {
        check(expected);
        return i32(buffer, offset + field);
    }

    private long u32(int expected, int field) {
        return i32(expected, field) & 0xFFFF_FFFFL;
    }

    private String string(int expected, int at, int lengthField) {
        check(expected);
        int n = u16(buffer, offset + lengthField);
        byte[] bytes = new byte[n];
        buffer.get(offset + at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static int u16(ByteBuffer b, int at) {
        return (short) SHORT.get(b, at) & 0xFFFF;
    }

    static int i32(ByteBuffer b, int at) {
        return (int) INT.get(b, at);
    }

    static long i64(ByteBuffer b, int at) {
        return (long) LONG.get(b, at);
    }
}
