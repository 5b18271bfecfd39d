package io.ferry.messenger.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over {@code ceph_msg_connect_reply} (26 bytes, packed, little-endian): u8 tag;
 * le64 features; le32 global_seq, connect_seq, protocol_version, authorizer_len; u8 flags.
 * The authorizer reply follows it, then (tag SEQ) the server's le64 acknowledged seq.
 * One thread at a time.
 */
public final class ConnectReply {
    public static final int TAG_OFFSET = 0;
    public static final int FEATURES_OFFSET = 1;
    public static final int GLOBAL_SEQ_OFFSET = 9;
    public static final int CONNECT_SEQ_OFFSET = 13;
    public static final int PROTOCOL_VERSION_OFFSET = 17;
    public static final int AUTHORIZER_LEN_OFFSET = 21;
    public static final int FLAGS_OFFSET = 25;

    private ByteBuffer buf;
    private int offset;

    public ConnectReply wrap(ByteBuffer buffer, int index) {
        this.buf = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.offset = index;
        return this;
    }

    public int tag() { return buf.get(offset + TAG_OFFSET) & 0xFF; }
    public long features() { return buf.getLong(offset + FEATURES_OFFSET); }
    public int globalSeq() { return buf.getInt(offset + GLOBAL_SEQ_OFFSET); }
    public int connectSeq() { return buf.getInt(offset + CONNECT_SEQ_OFFSET); }
    public int protocolVersion() { return buf.getInt(offset + PROTOCOL_VERSION_OFFSET); }
    public long authorizerLen() { return buf.getInt(offset + AUTHORIZER_LEN_OFFSET) & 0xFFFFFFFFL; }
    public int flags() { return buf.get(offset + FLAGS_OFFSET) & 0xFF; }

    public ConnectReply tag(int v) { buf.put(offset + TAG_OFFSET, (byte) v); return this; }
    public ConnectReply features(long v) { buf.putLong(offset + FEATURES_OFFSET, v); return this; }
    public ConnectReply globalSeq(int v) { buf.putInt(offset + GLOBAL_SEQ_OFFSET, v); return this; }
    public ConnectReply connectSeq(int v) { buf.putInt(offset + CONNECT_SEQ_OFFSET, v); return this; }
    public ConnectReply protocolVersion(int v) { buf.putInt(offset + PROTOCOL_VERSION_OFFSET, v); return this; }
    public ConnectReply authorizerLen(int v) { buf.putInt(offset + AUTHORIZER_LEN_OFFSET, v); return this; }
    public ConnectReply flags(int v) { buf.put(offset + FLAGS_OFFSET, (byte) v); return this; }

    /** @return null if acceptable, else the reason (unknown tag, authorizer reply too long). */
    public String check() {
        int tag = tag();
        if (tag < Msgr.TAG_READY || tag > Msgr.TAG_CHALLENGE_AUTHORIZER || tag == Msgr.TAG_MSG || tag == Msgr.TAG_ACK
                || tag == Msgr.TAG_KEEPALIVE || tag == Msgr.TAG_CLOSE || tag == Msgr.TAG_KEEPALIVE2
                || tag == Msgr.TAG_KEEPALIVE2_ACK) {
            return "connect reply carries " + Msgr.tagName(tag) + ", not a handshake tag";
        }
        if (authorizerLen() >= ConnectMessage.MAX_AUTHORIZER_LEN) {
            return "connect reply authorizer_len " + authorizerLen() + " is not below " + ConnectMessage.MAX_AUTHORIZER_LEN;
        }
        return null;
    }

    @Override
    public String toString() {
        return "reply[" + Msgr.tagName(tag()) + " features=0x" + Long.toHexString(features()) + " gseq=" + globalSeq()
                + " cseq=" + connectSeq() + " proto=" + protocolVersion() + " authlen=" + authorizerLen() + " flags="
                + flags() + "]";
    }
}
