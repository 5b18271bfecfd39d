package io.ferry.messenger.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over {@code ceph_msg_header} (53 bytes, packed, little-endian): le64 seq, le64 tid,
 * le16 type, le16 priority, le16 version, le32 front_len, le32 middle_len, le32 data_len, le16
 * data_off, src (u8 type, le64 num), le16 compat_version, le16 reserved, le32 crc — the crc32c
 * (seed 0) of the first 49 bytes. One thread at a time.
 */
public final class MessageHeader {
    public static final int SEQ_OFFSET = 0;
    public static final int TID_OFFSET = 8;
    public static final int TYPE_OFFSET = 16;
    public static final int PRIORITY_OFFSET = 18;
    public static final int VERSION_OFFSET = 20;
    public static final int FRONT_LEN_OFFSET = 22;
    public static final int MIDDLE_LEN_OFFSET = 26;
    public static final int DATA_LEN_OFFSET = 30;
    public static final int DATA_OFF_OFFSET = 34;
    public static final int SRC_TYPE_OFFSET = 36;
    public static final int SRC_NUM_OFFSET = 37;
    public static final int COMPAT_VERSION_OFFSET = 45;
    public static final int RESERVED_OFFSET = 47;
    public static final int CRC_OFFSET = 49;

    private ByteBuffer buf;
    private int offset;

    public MessageHeader wrap(ByteBuffer buffer, int index) {
        this.buf = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.offset = index;
        return this;
    }

    /** Moves the flyweight to {@code index} of the buffer it wraps (no copy, no allocation). */
    public MessageHeader at(int index) {
        this.offset = index;
        return this;
    }

    public long seq() { return buf.getLong(offset + SEQ_OFFSET); }
    public long tid() { return buf.getLong(offset + TID_OFFSET); }
    public int type() { return buf.getShort(offset + TYPE_OFFSET) & 0xFFFF; }
    public int priority() { return buf.getShort(offset + PRIORITY_OFFSET) & 0xFFFF; }
    public int version() { return buf.getShort(offset + VERSION_OFFSET) & 0xFFFF; }
    public long frontLen() { return buf.getInt(offset + FRONT_LEN_OFFSET) & 0xFFFFFFFFL; }
    public long middleLen() { return buf.getInt(offset + MIDDLE_LEN_OFFSET) & 0xFFFFFFFFL; }
    public long dataLen() { return buf.getInt(offset + DATA_LEN_OFFSET) & 0xFFFFFFFFL; }
    public int dataOff() { return buf.getShort(offset + DATA_OFF_OFFSET) & 0xFFFF; }
    public int srcType() { return buf.get(offset + SRC_TYPE_OFFSET) & 0xFF; }
    public long srcNum() { return buf.getLong(offset + SRC_NUM_OFFSET); }
    public int compatVersion() { return buf.getShort(offset + COMPAT_VERSION_OFFSET) & 0xFFFF; }
    public int crc() { return buf.getInt(offset + CRC_OFFSET); }

    public MessageHeader seq(long v) { buf.putLong(offset + SEQ_OFFSET, v); return this; }
    public MessageHeader tid(long v) { buf.putLong(offset + TID_OFFSET, v); return this; }
    public MessageHeader type(int v) { buf.putShort(offset + TYPE_OFFSET, (short) v); return this; }
    public MessageHeader priority(int v) { buf.putShort(offset + PRIORITY_OFFSET, (short) v); return this; }
    public MessageHeader version(int v) { buf.putShort(offset + VERSION_OFFSET, (short) v); return this; }
    public MessageHeader frontLen(long v) { buf.putInt(offset + FRONT_LEN_OFFSET, (int) v); return this; }
    public MessageHeader middleLen(long v) { buf.putInt(offset + MIDDLE_LEN_OFFSET, (int) v); return this; }
    public MessageHeader dataLen(long v) { buf.putInt(offset + DATA_LEN_OFFSET, (int) v); return this; }
    public MessageHeader dataOff(int v) { buf.putShort(offset + DATA_OFF_OFFSET, (short) v); return this; }
    public MessageHeader src(int type, long num) {
        buf.put(offset + SRC_TYPE_OFFSET, (byte) type);
        buf.putLong(offset + SRC_NUM_OFFSET, num);
        return this;
    }
    public MessageHeader compatVersion(int v) { buf.putShort(offset + COMPAT_VERSION_OFFSET, (short) v); return this; }
    public MessageHeader reserved(int v) { buf.putShort(offset + RESERVED_OFFSET, (short) v); return this; }

    /** @return the crc32c of the first 49 bytes as they are now. */
    public int computeCrc() {
        return Crc32c.update(0, buf, offset, Msgr.HEADER_CRC_SPAN);
    }

    /** Stores {@link #computeCrc()} in the crc field. */
    public MessageHeader sealCrc() {
        buf.putInt(offset + CRC_OFFSET, computeCrc());
        return this;
    }

    @Override
    public String toString() {
        return "header[seq=" + seq() + " tid=" + tid() + " type=0x" + Integer.toHexString(type()) + " prio=" + priority()
                + " front=" + frontLen() + " middle=" + middleLen() + " data=" + dataLen() + " src=" + srcType() + "."
                + srcNum() + "]";
    }
}
