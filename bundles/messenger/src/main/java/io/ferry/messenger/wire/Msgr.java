package io.ferry.messenger.wire;

import java.nio.charset.StandardCharsets;

/**
 * msgr v1 constants from Ceph's {@code src/include/msgr.h}, {@code ceph_features.h} and
 * {@code Messenger::get_proto_version}. Everything on the wire is little-endian except the family
 * and port inside an entity address.
 */
public final class Msgr {
    /** The banner both sides send first: {@code "ceph v027"}, 9 bytes, no NUL. */
    public static final byte[] BANNER = "ceph v027".getBytes(StandardCharsets.US_ASCII);

    public static final int TAG_READY = 1;
    public static final int TAG_RESETSESSION = 2;
    public static final int TAG_WAIT = 3;
    public static final int TAG_RETRY_SESSION = 4;
    public static final int TAG_RETRY_GLOBAL = 5;
    public static final int TAG_CLOSE = 6;
    public static final int TAG_MSG = 7;
    public static final int TAG_ACK = 8;
    public static final int TAG_KEEPALIVE = 9;
    public static final int TAG_BADPROTOVER = 10;
    public static final int TAG_BADAUTHORIZER = 11;
    public static final int TAG_FEATURES = 12;
    public static final int TAG_SEQ = 13;
    public static final int TAG_KEEPALIVE2 = 14;
    public static final int TAG_KEEPALIVE2_ACK = 15;
    public static final int TAG_CHALLENGE_AUTHORIZER = 16;

    /** {@code ceph_msg_connect.flags}: the client asks for a lossy session (the server decides). */
    public static final int CONNECT_LOSSY = 1;

    /** Footer flags. */
    public static final int FOOTER_COMPLETE = 1;
    public static final int FOOTER_NOCRC = 2;
    public static final int FOOTER_SIGNED = 4;

    /** Feature bits that change the framing. */
    public static final long FEATURE_NOSRCADDR = 1L << 1;
    public static final long FEATURE_RECONNECT_SEQ = 1L << 6;
    public static final long FEATURE_MSG_AUTH = 1L << 23;
    public static final long FEATURE_MSGR_KEEPALIVE2 = 1L << 42;

    /** Authorizer protocols ({@code CEPH_AUTH_*}). */
    public static final int AUTH_UNKNOWN = 0;
    public static final int AUTH_NONE = 1;
    public static final int AUTH_CEPHX = 2;

    /** Protocol versions ({@code CEPH_*_PROTOCOL}): between daemons of one type, and client to daemon. */
    public static final int OSD_PROTOCOL = 10;
    public static final int MDS_PROTOCOL = 32;
    public static final int MON_PROTOCOL = 13;
    public static final int OSDC_PROTOCOL = 24;
    public static final int MDSC_PROTOCOL = 32;
    public static final int MONC_PROTOCOL = 15;

    /** Sizes of the fixed structures. */
    public static final int ENTITY_ADDR_SIZE = 136;
    public static final int CONNECT_SIZE = 33;
    public static final int CONNECT_REPLY_SIZE = 26;
    public static final int HEADER_SIZE = 53;
    public static final int HEADER_CRC_SPAN = 49;
    public static final int FOOTER_OLD_SIZE = 13;
    public static final int FOOTER_SIZE = 21;
    public static final int TIMESPEC_SIZE = 8;

    private Msgr() {
    }

    /**
     * The protocol version for a connection between {@code myType} and {@code peerType} (Ceph's
     * {@code get_proto_version}): the intra-cluster version between daemons of one type; otherwise
     * the client protocol of the daemon involved — the peer's when connecting, ours when accepting;
     * 0 for types Ceph has no version for.
     */
    public static int protocolVersion(int myType, int peerType, boolean connecting) {
        if (myType == peerType) {
            switch (peerType) {
                case 0x04: return OSD_PROTOCOL;
                case 0x02: return MDS_PROTOCOL;
                case 0x01: return MON_PROTOCOL;
                default: return 0;
            }
        }
        switch (connecting ? peerType : myType) {
            case 0x04: return OSDC_PROTOCOL;
            case 0x02: return MDSC_PROTOCOL;
            case 0x01: return MONC_PROTOCOL;
            default: return 0;
        }
    }

    /** @return the tag's name for logs, such as {@code BADPROTOVER}. */
    public static String tagName(int tag) {
        switch (tag) {
            case TAG_READY: return "READY";
            case TAG_RESETSESSION: return "RESETSESSION";
            case TAG_WAIT: return "WAIT";
            case TAG_RETRY_SESSION: return "RETRY_SESSION";
            case TAG_RETRY_GLOBAL: return "RETRY_GLOBAL";
            case TAG_CLOSE: return "CLOSE";
            case TAG_MSG: return "MSG";
            case TAG_ACK: return "ACK";
            case TAG_KEEPALIVE: return "KEEPALIVE";
            case TAG_BADPROTOVER: return "BADPROTOVER";
            case TAG_BADAUTHORIZER: return "BADAUTHORIZER";
            case TAG_FEATURES: return "FEATURES";
            case TAG_SEQ: return "SEQ";
            case TAG_KEEPALIVE2: return "KEEPALIVE2";
            case TAG_KEEPALIVE2_ACK: return "KEEPALIVE2_ACK";
            case TAG_CHALLENGE_AUTHORIZER: return "CHALLENGE_AUTHORIZER";
            default: return "tag " + tag;
        }
    }
}
