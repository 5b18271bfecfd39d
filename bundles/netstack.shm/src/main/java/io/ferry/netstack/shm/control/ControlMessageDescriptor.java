package io.ferry.netstack.shm.control;

import io.ferry.api.net.Errno;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The layout of the control messages exchanged over the shm stack's {@code AF_UNIX
 * SOCK_SEQPACKET} socket (one message per datagram), as specified in the bundle's
 * {@code PROTOCOL.md}: type codes, field offsets, fixed lengths, descriptor counts, limits and the
 * codec's result codes. Every multi-byte field is <b>little-endian</b> ({@link #BYTE_ORDER});
 * the only exception is the 16-byte client UUID, which is a byte string in RFC 9562 order (as
 * libuuid's {@code uuid_t}).
 *
 * <pre>
 * header (every message, 16 bytes)
 * offset size field       meaning
 *      0    2 TYPE        message type code (below)
 *      2    2 FLAGS       0 in version 1 (a non-zero value is refused)
 *      4    4 LENGTH      total length of the message in bytes, header included; equals the datagram's length
 *      8    8 REQUEST_ID  chosen by the client (non-zero) in a request, echoed by the reply; 0 in notifications
 * </pre>
 *
 * <p>Not instantiable: constants and static helpers only. Thread-safe.
 */
public final class ControlMessageDescriptor {

    /** Byte order of every field except the UUID bytes. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** The magic of HELLO: the bytes 'F','S','H','M' read as a little-endian int. */
    public static final int MAGIC = 0x4D485346;
    /** The lowest protocol version this code speaks. */
    public static final int MIN_VERSION = 1;
    /** The highest protocol version this code speaks. */
    public static final int MAX_VERSION = 1;

    /** Largest message (header included); receive into a buffer of at least {@code MAX_MESSAGE_LENGTH + 1} bytes. */
    public static final int MAX_MESSAGE_LENGTH = 512;
    /** Longest address (UTF-8 bytes) in LISTEN, CONNECT and ACCEPT. */
    public static final int MAX_ADDRESS_LENGTH = 255;
    /** Longest ERROR message text (UTF-8 bytes). */
    public static final int MAX_ERROR_TEXT_LENGTH = 255;
    /** Largest errno value accepted in HELLO_REPLY status, ERROR code and CLOSE reason (Linux MAX_ERRNO). */
    public static final int MAX_ERRNO = 4095;
    /** Smallest ring capacity (as {@code StreamRingDescriptor.MIN_CAPACITY}). */
    public static final int MIN_RING_CAPACITY = 64;
    /** Largest ring capacity (as {@code StreamRingDescriptor.MAX_CAPACITY}). */
    public static final int MAX_RING_CAPACITY = 1 << 30;
    /** Alignment of every channel offset in the segment (a cache line). */
    public static final int CHANNEL_ALIGNMENT = 64;
    /** Linux {@code EPROTONOSUPPORT}: HELLO_REPLY status when no version is common. */
    public static final int EPROTONOSUPPORT = 93;

    // ---- header ----
    public static final int TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int REQUEST_ID_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    // ---- message types ----
    /** Client to server, first message: magic, version range, pid, uuid. */
    public static final int HELLO = 0x0001;
    /** Server to client: status, version, server pid, segment; carries the segment memfd (1 fd) when status is 0. */
    public static final int HELLO_REPLY = 0x0002;
    /** Client to server: listen on an address. */
    public static final int LISTEN = 0x0003;
    /** Server to client: the listener id. */
    public static final int LISTEN_REPLY = 0x0004;
    /** Client to server: connect to an address; answered by CHANNEL_READY or ERROR. */
    public static final int CONNECT = 0x0005;
    /** Server to client, notification: a connection arrived on a listener; CHANNEL_READY follows. */
    public static final int ACCEPT = 0x0006;
    /** Server to client: a channel in the segment; carries its 4 eventfds. */
    public static final int CHANNEL_READY = 0x0007;
    /** Either direction: close a channel or a listener. */
    public static final int CLOSE = 0x0008;
    /** Server to client: a request failed, or (FATAL) the connection is about to be closed. */
    public static final int ERROR = 0x0009;
    /**
     * Client to server: open a datagram endpoint bound to a name (PROTOCOL.md 8.3); laid out as
     * {@link #CONNECT} (ring capacity, address); answered by DGRAM_READY or ERROR.
     */
    public static final int DGRAM_OPEN = 0x0010;
    /** Server to client: the endpoint's channel, laid out as {@link #CHANNEL_READY} with its 5 descriptors. */
    public static final int DGRAM_READY = 0x0011;

    // ---- HELLO (48 bytes) ----
    public static final int HELLO_MAGIC_OFFSET = 16;
    public static final int HELLO_MIN_VERSION_OFFSET = 20;
    public static final int HELLO_MAX_VERSION_OFFSET = 22;
    public static final int HELLO_CLIENT_PID_OFFSET = 24;
    public static final int HELLO_RESERVED_OFFSET = 28;
    public static final int HELLO_CLIENT_UUID_OFFSET = 32;
    public static final int HELLO_LENGTH = 48;

    // ---- HELLO_REPLY (48 bytes) ----
    public static final int HELLO_REPLY_STATUS_OFFSET = 16;
    public static final int HELLO_REPLY_VERSION_OFFSET = 20;
    public static final int HELLO_REPLY_RESERVED_OFFSET = 22;
    public static final int HELLO_REPLY_SERVER_PID_OFFSET = 24;
    public static final int HELLO_REPLY_MAX_CHANNELS_OFFSET = 28;
    public static final int HELLO_REPLY_SEGMENT_SIZE_OFFSET = 32;
    public static final int HELLO_REPLY_RING_CAPACITY_OFFSET = 40;
    public static final int HELLO_REPLY_RESERVED2_OFFSET = 44;
    public static final int HELLO_REPLY_LENGTH = 48;

    // ---- LISTEN (24 + address) ----
    public static final int LISTEN_BACKLOG_OFFSET = 16;
    public static final int LISTEN_ADDRESS_LENGTH_OFFSET = 20;
    public static final int LISTEN_RESERVED_OFFSET = 22;
    public static final int LISTEN_ADDRESS_OFFSET = 24;
    public static final int LISTEN_FIXED_LENGTH = 24;
    /** Largest LISTEN backlog; 0 asks for the server's default. */
    public static final int MAX_BACKLOG = 65535;

    // ---- LISTEN_REPLY (24 bytes) ----
    public static final int LISTEN_REPLY_LISTENER_ID_OFFSET = 16;
    public static final int LISTEN_REPLY_RESERVED_OFFSET = 20;
    public static final int LISTEN_REPLY_LENGTH = 24;

    // ---- CONNECT (24 + address) ----
    public static final int CONNECT_RING_CAPACITY_OFFSET = 16;
    public static final int CONNECT_ADDRESS_LENGTH_OFFSET = 20;
    public static final int CONNECT_RESERVED_OFFSET = 22;
    public static final int CONNECT_ADDRESS_OFFSET = 24;
    public static final int CONNECT_FIXED_LENGTH = 24;

    // ---- ACCEPT (32 + peer address) ----
    public static final int ACCEPT_LISTENER_ID_OFFSET = 16;
    public static final int ACCEPT_CHANNEL_ID_OFFSET = 20;
    public static final int ACCEPT_PEER_PID_OFFSET = 24;
    public static final int ACCEPT_ADDRESS_LENGTH_OFFSET = 28;
    public static final int ACCEPT_RESERVED_OFFSET = 30;
    public static final int ACCEPT_ADDRESS_OFFSET = 32;
    public static final int ACCEPT_FIXED_LENGTH = 32;

    // ---- CHANNEL_READY (40 bytes, 4 fds) ----
    public static final int CHANNEL_READY_CHANNEL_ID_OFFSET = 16;
    public static final int CHANNEL_READY_SIDE_OFFSET = 20;
    public static final int CHANNEL_READY_FLAGS_OFFSET = 22;
    public static final int CHANNEL_READY_OFFSET_OFFSET = 24;
    public static final int CHANNEL_READY_RING_CAPACITY_OFFSET = 32;
    public static final int CHANNEL_READY_RESERVED_OFFSET = 36;
    public static final int CHANNEL_READY_LENGTH = 40;
    /** CHANNEL_READY side: A, the channel's creator (produces ring A -&gt; B). */
    public static final int SIDE_A = 0;
    /** CHANNEL_READY side: B (produces ring B -&gt; A); what a client is given in version 1. */
    public static final int SIDE_B = 1;
    /** Index in CHANNEL_READY's fds of the channel's own memfd (size-sealed, the region at OFFSET). */
    public static final int FD_MEMORY = 0;
    /** Index in CHANNEL_READY's fds of {@code Doorbells.dataIn} (the end's readFd). */
    public static final int FD_DATA_IN = 1;
    /** Index in CHANNEL_READY's fds of {@code Doorbells.spaceOut} (the end's writeFd). */
    public static final int FD_SPACE_OUT = 2;
    /** Index in CHANNEL_READY's fds of {@code Doorbells.dataOut} (the peer's dataIn). */
    public static final int FD_DATA_OUT = 3;
    /** Index in CHANNEL_READY's fds of {@code Doorbells.spaceIn} (the peer's spaceOut). */
    public static final int FD_SPACE_IN = 4;
    /** Descriptors carried by CHANNEL_READY: the channel memfd and four eventfds. */
    public static final int CHANNEL_FD_COUNT = 5;

    // ---- CLOSE (32 bytes) ----
    public static final int CLOSE_ID_OFFSET = 16;
    public static final int CLOSE_KIND_OFFSET = 20;
    public static final int CLOSE_RESERVED_OFFSET = 22;
    public static final int CLOSE_REASON_OFFSET = 24;
    public static final int CLOSE_RESERVED2_OFFSET = 28;
    public static final int CLOSE_LENGTH = 32;
    /** CLOSE kind: a channel id. */
    public static final int KIND_CHANNEL = 1;
    /** CLOSE kind: a listener id. */
    public static final int KIND_LISTENER = 2;

    // ---- ERROR (24 + text) ----
    public static final int ERROR_CODE_OFFSET = 16;
    public static final int ERROR_FLAGS_OFFSET = 20;
    public static final int ERROR_TEXT_LENGTH_OFFSET = 22;
    public static final int ERROR_TEXT_OFFSET = 24;
    public static final int ERROR_FIXED_LENGTH = 24;
    /** ERROR flag: the server closes the connection right after this message. */
    public static final int ERROR_FLAG_FATAL = 0x0001;

    // ---- codec result codes (negative; never an errno) ----
    /** Shorter than the header or than the type's fixed part. */
    public static final int ERR_TOO_SHORT = -1;
    /** Longer than {@link #MAX_MESSAGE_LENGTH} or than the type allows (also: truncated on receive). */
    public static final int ERR_TOO_LONG = -2;
    /** The header's LENGTH differs from the datagram's length. */
    public static final int ERR_LENGTH_MISMATCH = -3;
    /** A type code this version does not define. */
    public static final int ERR_UNKNOWN_TYPE = -4;
    /** A reserved type code (datagram channels, future). */
    public static final int ERR_UNSUPPORTED_TYPE = -5;
    /** A field out of range or inconsistent (magic, reserved bytes, lengths, ids, sides, UTF-8...). */
    public static final int ERR_BAD_FIELD = -6;
    /** The number of descriptors that came with the message differs from the type's. */
    public static final int ERR_FD_COUNT = -7;
    /** Encoder only: the destination buffer has no room for the message. */
    public static final int ERR_BUFFER_TOO_SMALL = -8;

    static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, BYTE_ORDER);
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, BYTE_ORDER);
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, BYTE_ORDER);

    private ControlMessageDescriptor() {
    }

    /** @return true for the types this version defines (not the reserved ones). */
    public static boolean isKnownType(int type) {
        return type >= HELLO && type <= ERROR || type == DGRAM_OPEN || type == DGRAM_READY;
    }

    /**
     * @return true for type codes reserved for a later version (refused with
     *     {@link #ERR_UNSUPPORTED_TYPE}); none since datagram channels became real
     */
    public static boolean isReservedType(int type) {
        return false;
    }

    /**
     * @return the type whose layout {@code type} shares: {@link #CONNECT} for DGRAM_OPEN,
     *     {@link #CHANNEL_READY} for DGRAM_READY, else {@code type} itself
     */
    public static int layoutOf(int type) {
        return type == DGRAM_OPEN ? CONNECT : type == DGRAM_READY ? CHANNEL_READY : type;
    }

    /** @return true if a client may send {@code type} (HELLO, LISTEN, CONNECT, CLOSE, DGRAM_OPEN). */
    public static boolean isClientToServer(int type) {
        return type == HELLO || type == LISTEN || type == CONNECT || type == CLOSE || type == DGRAM_OPEN;
    }

    /** @return true if the server may send {@code type} (HELLO_REPLY, LISTEN_REPLY, ACCEPT, CHANNEL_READY, CLOSE, ERROR, DGRAM_READY). */
    public static boolean isServerToClient(int type) {
        return type == HELLO_REPLY || type == LISTEN_REPLY || type == ACCEPT || type == CHANNEL_READY
                || type == CLOSE || type == ERROR || type == DGRAM_READY;
    }

    /** @return the fixed part's length of a known type (the whole length for fixed-size types), or -1. */
    public static int fixedLength(int type) {
        switch (layoutOf(type)) {
            case HELLO: return HELLO_LENGTH;
            case HELLO_REPLY: return HELLO_REPLY_LENGTH;
            case LISTEN: return LISTEN_FIXED_LENGTH;
            case LISTEN_REPLY: return LISTEN_REPLY_LENGTH;
            case CONNECT: return CONNECT_FIXED_LENGTH;
            case ACCEPT: return ACCEPT_FIXED_LENGTH;
            case CHANNEL_READY: return CHANNEL_READY_LENGTH;
            case CLOSE: return CLOSE_LENGTH;
            case ERROR: return ERROR_FIXED_LENGTH;
            default: return -1;
        }
    }

    /** @return the most variable bytes a known type may carry after its fixed part (0 for fixed-size types). */
    public static int maxVariableLength(int type) {
        switch (layoutOf(type)) {
            case LISTEN:
            case CONNECT:
            case ACCEPT:
                return MAX_ADDRESS_LENGTH;
            case ERROR:
                return MAX_ERROR_TEXT_LENGTH;
            default:
                return 0;
        }
    }

    /**
     * @param status HELLO_REPLY's status (ignored for other types)
     * @return the number of descriptors ({@code SCM_RIGHTS}) a message of {@code type} carries:
     *     1 for a successful HELLO_REPLY (the segment memfd), 5 for CHANNEL_READY (memfd + 4 eventfds), else 0
     */
    public static int fdCount(int type, int status) {
        if (type == CHANNEL_READY || type == DGRAM_READY) {
            return CHANNEL_FD_COUNT;
        }
        return type == HELLO_REPLY && status == 0 ? 1 : 0;
    }

    /**
     * @return the bytes a channel with rings of {@code ringCapacity} occupies in the segment
     *     ({@code 192 + 2 * roundUp64(384 + ringCapacity)}, as {@code StreamChannelDescriptor.sizeFor}),
     *     or -1 if the capacity is out of range
     */
    public static long channelSize(long ringCapacity) {
        if (ringCapacity < MIN_RING_CAPACITY || ringCapacity > MAX_RING_CAPACITY) {
            return -1;
        }
        return 192 + 2 * ((384 + ringCapacity + 63) & -64L);
    }

    /**
     * The check a client makes on every CHANNEL_READY before it touches the memory: the channel
     * lies entirely inside the mapped segment.
     *
     * @return true if {@code offset} is 64-aligned and {@code [offset, offset + channelSize)}
     *     lies within {@code [0, segmentSize)}
     */
    public static boolean channelFits(long offset, long ringCapacity, long segmentSize) {
        long size = channelSize(ringCapacity);
        return size > 0 && offset >= 0 && (offset & (CHANNEL_ALIGNMENT - 1)) == 0 && segmentSize >= 0
                && offset <= segmentSize - size;
    }

    /**
     * The server's version choice: the highest version both sides speak.
     *
     * @return the version, or -1 if the client's range {@code [clientMin, clientMax]} and this
     *     code's {@code [MIN_VERSION, MAX_VERSION]} do not overlap
     */
    public static int negotiate(int clientMin, int clientMax) {
        int high = Math.min(clientMax, MAX_VERSION);
        int low = Math.max(clientMin, MIN_VERSION);
        return high >= low ? high : -1;
    }

    /**
     * @return the errno the server sends (in ERROR) for a codec result code: {@code EOPNOTSUPP}
     *     for {@link #ERR_UNSUPPORTED_TYPE} (not fatal), {@code EPROTO} for every other (fatal)
     */
    public static int errno(int resultCode) {
        return resultCode == ERR_UNSUPPORTED_TYPE ? Errno.EOPNOTSUPP : Errno.EPROTO;
    }

    /** @return the name of a codec result code, e.g. {@code "ERR_TOO_SHORT"}. */
    public static String resultName(int resultCode) {
        switch (resultCode) {
            case ERR_TOO_SHORT: return "ERR_TOO_SHORT";
            case ERR_TOO_LONG: return "ERR_TOO_LONG";
            case ERR_LENGTH_MISMATCH: return "ERR_LENGTH_MISMATCH";
            case ERR_UNKNOWN_TYPE: return "ERR_UNKNOWN_TYPE";
            case ERR_UNSUPPORTED_TYPE: return "ERR_UNSUPPORTED_TYPE";
            case ERR_BAD_FIELD: return "ERR_BAD_FIELD";
            case ERR_FD_COUNT: return "ERR_FD_COUNT";
            case ERR_BUFFER_TOO_SMALL: return "ERR_BUFFER_TOO_SMALL";
            default: return resultCode >= 0 ? typeName(resultCode) : "result " + resultCode;
        }
    }

    /** @return the name of a message type, e.g. {@code "HELLO"}, or {@code "type 0x..."} */
    public static String typeName(int type) {
        switch (type) {
            case HELLO: return "HELLO";
            case HELLO_REPLY: return "HELLO_REPLY";
            case LISTEN: return "LISTEN";
            case LISTEN_REPLY: return "LISTEN_REPLY";
            case CONNECT: return "CONNECT";
            case ACCEPT: return "ACCEPT";
            case CHANNEL_READY: return "CHANNEL_READY";
            case CLOSE: return "CLOSE";
            case ERROR: return "ERROR";
            case DGRAM_OPEN: return "DGRAM_OPEN";
            case DGRAM_READY: return "DGRAM_READY";
            default: return "type 0x" + Integer.toHexString(type);
        }
    }
}
