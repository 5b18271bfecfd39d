package io.ferry.messenger.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over {@code ceph_msg_connect} (33 bytes, packed, little-endian): le64 features;
 * le32 host_type, global_seq, connect_seq, protocol_version, authorizer_protocol, authorizer_len;
 * u8 flags. The authorizer bytes follow it. Wrap a buffer, then read or write at the offset.
 * One thread at a time.
 */
public final class ConnectMessage {
    public static final int FEATURES_OFFSET = 0;
    public static final int HOST_TYPE_OFFSET = 8;
    public static final int GLOBAL_SEQ_OFFSET = 12;
    public static final int CONNECT_SEQ_OFFSET = 16;
    public static final int PROTOCOL_VERSION_OFFSET = 20;
    public static final int AUTHORIZER_PROTOCOL_OFFSET = 24;
    public static final int AUTHORIZER_LEN_OFFSET = 28;
    public static final int FLAGS_OFFSET = 32;
    /** Longest authorizer accepted (Ceph asserts replies stay below 4096). */
    public static final int MAX_AUTHORIZER_LEN = 4096;

    private ByteBuffer buf;
    private int offset;

    public ConnectMessage wrap(ByteBuffer buffer, int index) {
        this.buf = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.offset = index;
        return this;
    }

    public long features() { return buf.getLong(offset + FEATURES_OFFSET); }
    public int hostType() { return buf.getInt(offset + HOST_TYPE_OFFSET); }
    public int globalSeq() { return buf.getInt(offset + GLOBAL_SEQ_OFFSET); }
    public int connectSeq() { return buf.getInt(offset + CONNECT_SEQ_OFFSET); }
    public int protocolVersion() { return buf.getInt(offset + PROTOCOL_VERSION_OFFSET); }
    public int authorizerProtocol() { return buf.getInt(offset + AUTHORIZER_PROTOCOL_OFFSET); }
    /** @return the authorizer length as an unsigned value. */
    public long authorizerLen() { return buf.getInt(offset + AUTHORIZER_LEN_OFFSET) & 0xFFFFFFFFL; }
    public int flags() { return buf.get(offset + FLAGS_OFFSET) & 0xFF; }

    public ConnectMessage features(long v) { buf.putLong(offset + FEATURES_OFFSET, v); return this; }
    public ConnectMessage hostType(int v) { buf.putInt(offset + HOST_TYPE_OFFSET, v); return this; }
    public ConnectMessage globalSeq(int v) { buf.putInt(offset + GLOBAL_SEQ_OFFSET, v); return this; }
    public ConnectMessage connectSeq(int v) { buf.putInt(offset + CONNECT_SEQ_OFFSET, v); return this; }
    public ConnectMessage protocolVersion(int v) { buf.putInt(offset + PROTOCOL_VERSION_OFFSET, v); return this; }
    public ConnectMessage authorizerProtocol(int v) { buf.putInt(offset + AUTHORIZER_PROTOCOL_OFFSET, v); return this; }
    public ConnectMessage authorizerLen(int v) { buf.putInt(offset + AUTHORIZER_LEN_OFFSET, v); return this; }
    public ConnectMessage flags(int v) { buf.put(offset + FLAGS_OFFSET, (byte) v); return this; }

    /** @return null if the fixed part is acceptable, else the reason (authorizer too long). */
    public String check() {
        if (authorizerLen() > MAX_AUTHORIZER_LEN) {
            return "connect message authorizer_len " + authorizerLen() + " exceeds " + MAX_AUTHORIZER_LEN;
        }
        return null;
    }

    @Override
    public String toString() {
        return "connect[features=0x" + Long.toHexString(features()) + " host_type=" + hostType() + " gseq=" + globalSeq()
                + " cseq=" + connectSeq() + " proto=" + protocolVersion() + " auth=" + authorizerProtocol() + "/"
                + authorizerLen() + " flags=" + flags() + "]";
    }
}
