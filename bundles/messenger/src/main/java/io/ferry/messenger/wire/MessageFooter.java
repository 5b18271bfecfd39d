package io.ferry.messenger.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code ceph_msg_footer} (21 bytes: le32 front_crc, middle_crc, data_crc; le64 sig; u8 flags),
 * used when both sides have MSG_AUTH, and {@code ceph_msg_footer_old} (13 bytes, no sig)
 * otherwise. Static accessors over a little-endian buffer; any thread.
 */
public final class MessageFooter {
    public static final int FRONT_CRC_OFFSET = 0;
    public static final int MIDDLE_CRC_OFFSET = 4;
    public static final int DATA_CRC_OFFSET = 8;
    public static final int SIG_OFFSET = 12;

    private MessageFooter() {
    }

    /** @return the footer size for the negotiated features. */
    public static int size(boolean msgAuth) {
        return msgAuth ? Msgr.FOOTER_SIZE : Msgr.FOOTER_OLD_SIZE;
    }

    /** @return the offset of the flags byte. */
    public static int flagsOffset(boolean msgAuth) {
        return msgAuth ? 20 : 12;
    }

    /** Writes a footer at {@code index}. */
    public static void encode(ByteBuffer buffer, int index, boolean msgAuth, int frontCrc, int middleCrc, int dataCrc,
            int flags) {
        ByteBuffer b = buffer.order() == ByteOrder.LITTLE_ENDIAN ? buffer : buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(index + FRONT_CRC_OFFSET, frontCrc);
        b.putInt(index + MIDDLE_CRC_OFFSET, middleCrc);
        b.putInt(index + DATA_CRC_OFFSET, dataCrc);
        if (msgAuth) {
            b.putLong(index + SIG_OFFSET, 0L);
        }
        b.put(index + flagsOffset(msgAuth), (byte) flags);
    }
}
