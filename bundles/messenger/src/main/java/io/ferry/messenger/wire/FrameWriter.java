package io.ferry.messenger.wire;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes msgr v1 frames of the open state onto an outgoing {@link BufferList}: a message is
 * tag + header (crc sealed) + views of its sections' segments (no payload copy) + footer with the
 * sections' crc32c.
 *
 * <p>An instance (one per connection, used on its thread only) carves tag, header and footer out of
 * a 16 KiB slab instead of allocating them per message: a slab is never written twice, a full one
 * is simply dropped and collected once the bytes referring to it were written. The static methods
 * are stateless and may be called from any thread.
 */
public final class FrameWriter {
    private static final int SLAB_SIZE = 16 * 1024;

    private final MessageHeader header = new MessageHeader();
    private byte[] slab;
    private ByteBuffer slabBuffer;
    /** A movable window over the slab: {@link BufferList#append} takes its own slice of it. */
    private ByteBuffer slabView;
    private int slabUsed;

    /**
     * Appends {@code m} with sequence {@code seq}. The section views stay valid while the message
     * is not released; the caller keeps it until the bytes are written (or acknowledged).
     *
     * @param crcData false to leave the data crc 0 and set {@link Msgr#FOOTER_NOCRC} (Ceph's
     *     {@code ms_crc_data = false}); the header, front and middle crcs are always computed
     */
    public void message(BufferList out, Message m, long seq, EntityName source, boolean msgAuth, boolean crcData) {
        int footerSize = MessageFooter.size(msgAuth);
        int at = carve(1 + Msgr.HEADER_SIZE + footerSize);
        int footerAt = at + 1 + Msgr.HEADER_SIZE;
        seal(slab, slabBuffer, header, at, m, seq, source, msgAuth, crcData);
        out.append(view(at, 1 + Msgr.HEADER_SIZE));
        appendViews(out, m.front());
        appendViews(out, m.middle());
        appendViews(out, m.data());
        out.append(view(footerAt, footerSize));
    }

    /** As {@link #writeAck}, carved from the slab. */
    public void ack(BufferList out, long seq) {
        int at = carve(9);
        slab[at] = (byte) Msgr.TAG_ACK;
        slabBuffer.putLong(at + 1, seq);
        out.append(view(at, 9));
    }

    /** @return the offset of {@code need} fresh bytes of the slab (a new slab when it is full) */
    private int carve(int need) {
        if (slab == null || slabUsed + need > slab.length) {
            slab = new byte[SLAB_SIZE];
            slabBuffer = ByteBuffer.wrap(slab).order(ByteOrder.LITTLE_ENDIAN);
            slabView = ByteBuffer.wrap(slab);
            header.wrap(slabBuffer, 0);
            slabUsed = 0;
        }
        int at = slabUsed;
        slabUsed += need;
        return at;
    }

    private ByteBuffer view(int at, int length) {
        slabView.limit(at + length).position(at);
        return slabView;
    }

    /** As {@link #message} without a writer instance (allocates the frame's fixed parts). */
    public static void writeMessage(BufferList out, Message m, long seq, EntityName source, boolean msgAuth) {
        writeMessage(out, m, seq, source, msgAuth, true);
    }

    /** As {@link #message} without a writer instance (allocates the frame's fixed parts). */
    public static void writeMessage(BufferList out, Message m, long seq, EntityName source, boolean msgAuth,
            boolean crcData) {
        byte[] frame = new byte[1 + Msgr.HEADER_SIZE + MessageFooter.size(msgAuth)];
        ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        encode(frame, b, new MessageHeader().wrap(b, 0), 0, out, m, seq, source, msgAuth, crcData);
    }

    private static void encode(byte[] frame, ByteBuffer b, MessageHeader header, int at, BufferList out, Message m,
            long seq, EntityName source, boolean msgAuth, boolean crcData) {
        int footerSize = MessageFooter.size(msgAuth);
        seal(frame, b, header, at, m, seq, source, msgAuth, crcData);
        int footerAt = at + 1 + Msgr.HEADER_SIZE;
        out.append(ByteBuffer.wrap(frame, at, 1 + Msgr.HEADER_SIZE));
        appendViews(out, m.front());
        appendViews(out, m.middle());
        appendViews(out, m.data());
        out.append(ByteBuffer.wrap(frame, footerAt, footerSize));
    }

    /** Writes tag, header (crc sealed) and footer of {@code m} at {@code at} of {@code frame}. */
    private static void seal(byte[] frame, ByteBuffer b, MessageHeader header, int at, Message m, long seq,
            EntityName source, boolean msgAuth, boolean crcData) {
        frame[at] = (byte) Msgr.TAG_MSG;
        header.at(at + 1).seq(seq).tid(m.tid()).type(m.type()).priority(m.priority()).version(m.version())
                .frontLen(m.front().length()).middleLen(m.middle().length()).dataLen(m.data().length())
                .dataOff(m.dataOffset()).src(source.type(), source.num()).compatVersion(m.compatVersion()).reserved(0)
                .sealCrc();
        int footerAt = at + 1 + Msgr.HEADER_SIZE;
        int dataCrc = crcData ? Crc32c.of(0, m.data()) : 0;
        int flags = crcData ? Msgr.FOOTER_COMPLETE : Msgr.FOOTER_COMPLETE | Msgr.FOOTER_NOCRC;
        MessageFooter.encode(b, footerAt, msgAuth, Crc32c.of(0, m.front()), Crc32c.of(0, m.middle()), dataCrc, flags);
    }

    /** Appends TAG_ACK + le64 seq. */
    public static void writeAck(BufferList out, long seq) {
        ByteBuffer b = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) Msgr.TAG_ACK).putLong(seq).flip();
        out.append(b);
    }

    /** Appends KEEPALIVE2 (or its ACK) + the time stamp (le32 sec, le32 nsec). */
    public static void writeKeepalive2(BufferList out, boolean ack, int sec, int nsec) {
        ByteBuffer b = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) (ack ? Msgr.TAG_KEEPALIVE2_ACK : Msgr.TAG_KEEPALIVE2)).putInt(sec).putInt(nsec).flip();
        out.append(b);
    }

    /** Appends a single tag byte (KEEPALIVE, CLOSE). */
    public static void writeTag(BufferList out, int tag) {
        out.append(ByteBuffer.wrap(new byte[] {(byte) tag}));
    }

    private static void appendViews(BufferList out, BufferList section) {
        for (int i = 0; i < section.segmentCount(); i++) {
            out.append(section.segment(i));
        }
    }
}
