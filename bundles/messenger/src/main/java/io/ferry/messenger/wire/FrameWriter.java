package io.ferry.messenger.wire;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.buffer.ReferenceCounted;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;

/**
 * Encodes msgr v1 frames of the open state onto a connection's outgoing {@link BufferList}: a
 * message is tag + header (crc sealed) + its sections + footer with the sections' crc32c.
 *
 * <p>An instance (one per connection) stages the frames' fixed parts, and sections of up to
 * {@value #COPY_SECTION_MAX} bytes, back to back in a direct staging chunk and appends one view of
 * the staged bytes to the list when {@link #publish()} is called or a larger section must follow
 * them: the socket layer would copy small pieces into native memory anyway, so a batch of small
 * messages becomes one segment and one plain {@code send}, and nothing is allocated per message.
 * Larger sections are appended as views of the message's own segments (no payload copy); the
 * message must stay unreleased until those bytes are written, which the connection's {@code sent}
 * list guarantees. The chunk is the {@link ReferenceCounted} owner of the views cut from it and is
 * rewound once every view was consumed (written), so a connection keeps reusing the same
 * cache-warm {@value #CHUNK_SIZE} bytes; while the list still holds views of a full chunk a new one
 * is taken and the old one is left to the collector.
 *
 * <p>Callers append to the list directly only when nothing is staged ({@link #pendingBytes()} is 0,
 * e.g. after {@link #publish()}), so that bytes stay in order. The static methods are stateless,
 * allocate the frame's fixed parts, and may be called from any thread.
 *
 * <p><b>Threading:</b> an instance is used by its connection's event loop only.
 */
public final class FrameWriter {
    /** Bytes in a staging chunk. */
    static final int CHUNK_SIZE = 16 * 1024;
    /** Sections up to this size are copied into the staging chunk; larger ones are referenced. */
    static final int COPY_SECTION_MAX = 1024;

    private final BufferList out;
    private final int chunkSize;
    private final boolean direct;
    private final MessageHeader header = new MessageHeader();
    private StagingChunk chunk;
    /** {@link #chunk}'s buffer, little-endian; absolute puts only. */
    private ByteBuffer staging;
    /** Staged bytes before this offset are in {@link #out} (or were written). */
    private int publishedTo;
    /** The end of the staged bytes. */
    private int stagedTo;
    private long crcsReused;

    /** @param out the connection's outgoing bytes, which this writer appends to */
    public FrameWriter(BufferList out) {
        this(out, CHUNK_SIZE, true);
    }

    /** For the static one-frame methods: a heap chunk of exactly the frame's staged bytes. */
    private FrameWriter(BufferList out, int chunkSize, boolean direct) {
        this.out = out;
        this.chunkSize = chunkSize;
        this.direct = direct;
    }

    /**
     * Stages {@code m} with sequence {@code seq}. Sections larger than {@value #COPY_SECTION_MAX}
     * bytes are referenced, so the caller keeps the message until the bytes are written (or
     * acknowledged).
     *
     * @param crcData false to leave the data crc 0 and set {@link Msgr#FOOTER_NOCRC} (Ceph's
     *     {@code ms_crc_data = false}); the header, front and middle crcs are always computed
     */
    public void message(Message m, long seq, EntityName source, boolean msgAuth, boolean crcData) {
        int footerSize = MessageFooter.size(msgAuth);
        reserve(1 + Msgr.HEADER_SIZE + copiedLength(m.front()) + copiedLength(m.middle()) + copiedLength(m.data())
                + footerSize);
        int at = stagedTo;
        staging.put(at, (byte) Msgr.TAG_MSG);
        header.at(at + 1).seq(seq).tid(m.tid()).type(m.type()).priority(m.priority()).version(m.version())
                .frontLen(m.front().length()).middleLen(m.middle().length()).dataLen(m.data().length())
                .dataOff(m.dataOffset()).src(source.type(), source.num()).compatVersion(m.compatVersion()).reserved(0)
                .sealCrc();
        stagedTo = at + 1 + Msgr.HEADER_SIZE;
        section(m.front());
        section(m.middle());
        section(m.data());
        int dataCrc = crcData ? sectionCrc(m.data()) : 0;
        int flags = crcData ? Msgr.FOOTER_COMPLETE : Msgr.FOOTER_COMPLETE | Msgr.FOOTER_NOCRC;
        MessageFooter.encode(staging, stagedTo, msgAuth, sectionCrc(m.front()), sectionCrc(m.middle()), dataCrc, flags);
        stagedTo += footerSize;
    }

    /**
     * @return the crc32c (seed 0) of a section to send: for a section received and sent on (an
     *     echo, a forward), the crcs the reader verified and its buffers remembered, chained,
     *     instead of a pass over the bytes; otherwise computed
     */
    private int sectionCrc(BufferList section) {
        int segments = section.segmentCount();
        long first = segments == 0 ? -1 : remembered(section, 0);
        if (first < 0) {
            return Crc32c.of(0, section); // a section built by the sender: one pass over all segments
        }
        int crc = (int) first;
        crcsReused++;
        for (int i = 1; i < segments; i++) {
            ByteBuffer view = section.segment(i);
            int n = view.remaining();
            long known = remembered(section, i);
            if (known >= 0) {
                crc = Crc32c.concat(crc, (int) known, n);
                crcsReused++;
            } else {
                crc = Crc32c.update(crc, view, view.position(), n);
            }
        }
        return crc;
    }

    /** @return the crc the i-th segment's owner remembers for it, or -1 */
    private static long remembered(BufferList section, int i) {
        return section.owner(i) instanceof CountedBuffer owner ? owner.rememberedCrc(section.segment(i)) : -1;
    }

    /** @return segments whose remembered crc was used instead of a pass over their bytes (for tests and statistics) */
    public long crcsReused() {
        return crcsReused;
    }

    /** Stages TAG_ACK + le64 seq. */
    public void ack(long seq) {
        reserve(9);
        staging.put(stagedTo, (byte) Msgr.TAG_ACK);
        staging.putLong(stagedTo + 1, seq);
        stagedTo += 9;
    }

    /** Stages KEEPALIVE2 (or its ACK) + the time stamp (le32 sec, le32 nsec). */
    public void keepalive2(boolean ack, int sec, int nsec) {
        reserve(9);
        staging.put(stagedTo, (byte) (ack ? Msgr.TAG_KEEPALIVE2_ACK : Msgr.TAG_KEEPALIVE2));
        staging.putInt(stagedTo + 1, sec);
        staging.putInt(stagedTo + 5, nsec);
        stagedTo += 9;
    }

    /** Stages a single tag byte (KEEPALIVE, CLOSE). */
    public void tag(int tag) {
        reserve(1);
        staging.put(stagedTo, (byte) tag);
        stagedTo += 1;
    }

    /** @return bytes staged and not yet appended to the list */
    public int pendingBytes() {
        return stagedTo - publishedTo;
    }

    /** Appends the staged bytes not yet in the list as one segment. */
    public void publish() {
        if (stagedTo > publishedTo) {
            out.append(chunk.window(publishedTo, stagedTo - publishedTo), chunk);
            publishedTo = stagedTo;
        }
    }

    /** Forgets the staged bytes not yet in the list (the caller dropped the list's bytes too). */
    public void discard() {
        publishedTo = stagedTo;
    }

    /** @return how many bytes of {@code section} {@link #message} copies into the staging chunk */
    private static int copiedLength(BufferList section) {
        long n = section.length();
        return n <= COPY_SECTION_MAX ? (int) n : 0;
    }

    /** Copies a small section behind the staged bytes, or appends a large one's views after them. */
    private void section(BufferList section) {
        long length = section.length();
        if (length == 0) {
            return;
        }
        int segments = section.segmentCount();
        if (length <= COPY_SECTION_MAX) {
            for (int i = 0; i < segments; i++) {
                ByteBuffer segment = section.segment(i);
                int n = segment.remaining();
                staging.put(stagedTo, segment, segment.position(), n);
                stagedTo += n;
            }
            return;
        }
        publish();
        for (int i = 0; i < segments; i++) {
            out.append(section.segment(i));
        }
    }

    /**
     * Makes room for {@code need} contiguous bytes behind the staged ones: in the current chunk,
     * in the current chunk rewound (once nothing in the list refers to it), or in a new chunk.
     */
    private void reserve(int need) {
        StagingChunk c = chunk;
        if (c != null && publishedTo == stagedTo && stagedTo > 0 && c.refCount() == 1) {
            // every view was written: start over at the chunk's (cache-warm) beginning
            publishedTo = 0;
            stagedTo = 0;
        }
        if (c != null && stagedTo + need <= chunkSize) {
            return;
        }
        publish();
        if (c != null && c.refCount() == 1) {
            publishedTo = 0;
            stagedTo = 0;
            return;
        }
        if (c != null) {
            c.release();
        }
        chunk = new StagingChunk(direct ? ByteBuffer.allocateDirect(chunkSize) : ByteBuffer.allocate(chunkSize));
        staging = chunk.buffer;
        header.wrap(staging, 0);
        publishedTo = 0;
        stagedTo = 0;
    }

    /** A staging area; the owner of the views appended to the list. */
    private static final class StagingChunk extends CountedBuffer {
        StagingChunk(ByteBuffer memory) {
            super(memory);
        }

        /** A full chunk the writer left is simply collected once its last view is written. */
        @Override
        protected void freed() {
        }
    }

    /** As {@link #message} and {@link #publish()} without a connection's writer (allocates the frame's staged bytes). */
    public static void writeMessage(BufferList out, Message m, long seq, EntityName source, boolean msgAuth) {
        writeMessage(out, m, seq, source, msgAuth, true);
    }

    /** As {@link #message} and {@link #publish()} without a connection's writer (allocates the frame's staged bytes). */
    public static void writeMessage(BufferList out, Message m, long seq, EntityName source, boolean msgAuth,
            boolean crcData) {
        int staged = 1 + Msgr.HEADER_SIZE + copiedLength(m.front()) + copiedLength(m.middle()) + copiedLength(m.data())
                + MessageFooter.size(msgAuth);
        FrameWriter w = new FrameWriter(out, staged, false);
        w.message(m, seq, source, msgAuth, crcData);
        w.publish();
    }

    /** Appends TAG_ACK + le64 seq. */
    public static void writeAck(BufferList out, long seq) {
        FrameWriter w = new FrameWriter(out, 9, false);
        w.ack(seq);
        w.publish();
    }

    /** Appends KEEPALIVE2 (or its ACK) + the time stamp (le32 sec, le32 nsec). */
    public static void writeKeepalive2(BufferList out, boolean ack, int sec, int nsec) {
        FrameWriter w = new FrameWriter(out, 9, false);
        w.keepalive2(ack, sec, nsec);
        w.publish();
    }

    /** Appends a single tag byte (KEEPALIVE, CLOSE). */
    public static void writeTag(BufferList out, int tag) {
        FrameWriter w = new FrameWriter(out, 1, false);
        w.tag(tag);
        w.publish();
    }
}
