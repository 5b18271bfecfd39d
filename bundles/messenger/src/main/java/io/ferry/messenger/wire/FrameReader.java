package io.ferry.messenger.wire;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.buffer.ReferenceCounted;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes the byte stream of an open msgr v1 session incrementally (Ceph's {@code wait_message},
 * {@code handle_message_header}, {@code read_message_*}, {@code handle_message_footer}): tags,
 * ACK, KEEPALIVE, KEEPALIVE2, KEEPALIVE2_ACK, CLOSE, and messages with header crc, sections and
 * footer crcs. Partial frames are kept between calls, so the caller feeds whatever the socket gave.
 *
 * <p>Bad input never throws: {@link #feed} returns {@link #FAILED} and {@link #error()} says why;
 * the reader then refuses more input. Lengths are checked against a limit before anything is
 * allocated, and nothing is read outside the buffer it is given.
 *
 * <p>A message's three sections are views of reused buffers, whose reference-counted owners come
 * back (to be reused) when every list holding one of the views released it. Payloads of 1-16 KiB
 * are copied into recycled, cache-warm buffers ({@link PayloadCache}), smaller ones into a small
 * array. When the caller's input is itself owned ({@link #feed(ByteBuffer, ReferenceCounted, Sink)},
 * a {@link ReceiveBuffer}'s chunk) and can hold a larger payload whole, the reader waits until all
 * of it is there ({@link #wholeBytesWanted()}) and makes the sections views of the input: nothing
 * is copied. Any other payload over 16 KiB goes into a run of the loop's chunks
 * ({@link ReceiveMemory}, its pieces): direct memory, so an echo or forward goes to the kernel by
 * address, and never one array of the message's size; what of it is not in the input yet the
 * caller may read from the socket straight into the pieces ({@link #directTarget()}).
 *
 * <p>Single thread: the owning connection's event loop.
 */
public final class FrameReader {
    /** Needs more bytes; everything given was consumed. */
    public static final int NEED_MORE = 0;
    /** The sink refused to admit the next message (throttle full); call again later. */
    public static final int PAUSED = 1;
    /** The peer sent CLOSE. */
    public static final int CLOSED = 2;
    /** Bad input; see {@link #error()}. */
    public static final int FAILED = -1;

    /** What the reader found; called on the reader's thread. */
    public interface Sink {
        void onAck(long seq);

        void onKeepalive();

        void onKeepalive2(int sec, int nsec);

        void onKeepalive2Ack(int sec, int nsec);

        /**
         * Asks to take a message of {@code payloadBytes} bytes in. @return false to pause (the
         * reader asks again on the next feed)
         */
        boolean admit(long payloadBytes);

        /** A complete, checked message; ownership passes to the sink. */
        void onMessage(Message message);
    }

    /** Why {@link #feed} refused the stream; {@link #errorKind()}. */
    public enum ErrorKind {
        /** a tag that may not come in an open session, or an aborted message */
        PROTOCOL,
        /** header, front, middle or data crc mismatch */
        CRC,
        /** a message larger than the limit */
        OVERSIZED
    }

    private enum State { TAG, ACK, KEEPALIVE2, KEEPALIVE2_ACK, HEADER, ADMIT, WHOLE, FRONT, MIDDLE, DATA, FOOTER, CLOSED, FAILED }

    private static final byte[] NO_PAYLOAD = new byte[0];
    /**
     * Smallest payload taken in place (as views of owned input) instead of being copied out. Smaller
     * ones are copied into recycled buffers (or small arrays): a view pins the read buffer, which
     * then has to read on into memory the CPU has not touched lately, and for these sizes the
     * kernel's copy into cold memory cost more than the copy it saved (measured: 64 B and 4 KiB
     * echoes over 16 connections, ~1-1.8 us per round trip).
     */
    static final int IN_PLACE_MIN = PayloadCache.MAX_SIZE + 1;

    private final long maxMessageBytes;
    private final byte[] scratch = new byte[Msgr.HEADER_SIZE + Msgr.FOOTER_SIZE];
    private final ByteBuffer scratchBuf = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private final MessageHeader header = new MessageHeader();
    private boolean msgAuth;
    private boolean checkDataCrc = true;
    private ErrorKind errorKind;
    private State state = State.TAG;
    private int need;
    private int have;
    /** One array per message holding front, middle and data back to back, unless {@link #pooled} does. */
    private byte[] payload;
    /** For mid-sized messages: the recycled (direct) buffer holding the sections instead of {@link #payload}, else null. */
    private PayloadCache.Payload pooled;
    /**
     * For a large payload not taken in place: the chunks holding it in order, each full but the last
     * (taken as the bytes arrive), else null. The reader holds one reference on each taken.
     */
    private ReceiveMemory.Chunk[] pieces;
    private int piecesTaken;
    /** For a payload that arrived whole in owned input: the input buffer holding the sections, else null. */
    private ByteBuffer inPlace;
    /** Where the payload starts in {@link #inPlace}. */
    private int inPlaceAt;
    /** The owner of {@link #inPlace}; the reader holds one reference until the message is delivered. */
    private ReferenceCounted inPlaceOwner;
    /** A movable window over {@link #inPlace} for appending views (the list takes its own slice). */
    private ByteBuffer inPlaceWindow;
    /** The buffer {@link #inPlaceWindow} is a duplicate of. */
    private ByteBuffer inPlaceWindowOf;
    private ReceiveMemory memory;
    private int frontLen;
    private int middleLen;
    private int dataLen;
    private int sectionFill;
    private long admitted;
    private boolean admissionHeld;
    private String error;
    private long framesDecoded;
    /** Counts {@link #reset()}s: a feed stops when its owner resets the reader from a sink callback. */
    private int resets;
    private EntityName lastSource;

    /** Largest message a reader can hold in one array. */
    public static final long MAX_MESSAGE_BYTES_LIMIT = Integer.MAX_VALUE - 8;

    /**
     * A reader with a payload cache of its own (tests, tools).
     *
     * @param maxMessageBytes largest front + middle + data accepted (1..{@link #MAX_MESSAGE_BYTES_LIMIT});
     *     nothing larger is ever allocated, whatever a header announces
     */
    public FrameReader(long maxMessageBytes) {
        this(maxMessageBytes, new ReceiveMemory(ReceiveMemory.CHUNK_SIZE));
    }

    /**
     * @param maxMessageBytes as {@link #FrameReader(long)}
     * @param memory the memory of the loop the reader runs on: payloads are copied to its recycled
     *     buffers and chunks, shared with the loop's other connections
     */
    public FrameReader(long maxMessageBytes, ReceiveMemory memory) {
        this.memory = memory;
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " must be 1.." + MAX_MESSAGE_BYTES_LIMIT);
        }
        this.maxMessageBytes = maxMessageBytes;
        header.wrap(scratchBuf, 0);
    }

    /**
     * Copies payloads to {@code next}'s buffers from now on: the connection moved to another loop.
     * Call between messages (after {@link #reset()}), on the thread that used the reader until now.
     */
    public void moveTo(ReceiveMemory next) {
        memory = next;
    }

    /** Sets whether the peer uses the 21-byte footer (MSG_AUTH negotiated). */
    public void setMsgAuth(boolean value) {
        this.msgAuth = value;
    }

    /**
     * Turns the data section's crc check on (default) or off (Ceph's {@code ms_crc_data}). The
     * header, front and middle crcs are always checked; the data crc is also skipped for a message
     * whose footer carries {@link Msgr#FOOTER_NOCRC}.
     */
    public void setCheckDataCrc(boolean value) {
        this.checkDataCrc = value;
    }

    /** @return the class of {@link #error()}, or null. */
    public ErrorKind errorKind() {
        return errorKind;
    }

    /** @return why the stream was refused, or null. */
    public String error() {
        return error;
    }

    /** @return frames decoded so far (for counters). */
    public long framesDecoded() {
        return framesDecoded;
    }

    /**
     * @return the payload bytes the reader waits to see whole in its owned input before it takes
     *     them in place, else 0; the caller keeps that much room from the unparsed bytes on
     */
    public int wholeBytesWanted() {
        return state == State.WHOLE ? frontLen + middleLen + dataLen : 0;
    }

    /** @return true between the start of a message and its end (a partial frame is held). */
    public boolean inFrame() {
        return state != State.TAG || have > 0;
    }

    /**
     * Starts over at a tag boundary (after a reconnect). Called from inside a sink callback (the
     * session stopped or faulted while a frame was delivered), it also ends the {@link #feed} in
     * progress: the rest of that input belongs to the abandoned stream and is not decoded.
     *
     * @return the payload bytes admitted for a message not yet delivered, which the caller must
     *     give back to its throttle (with its one message), or -1 if no message was admitted
     */
    public long reset() {
        resets++;
        long give = admissionHeld ? admitted : -1;
        admitted = 0;
        admissionHeld = false;
        state = State.TAG;
        need = 0;
        have = 0;
        payload = null;
        dropPooled();
        dropPieces();
        dropInPlace();
        error = null;
        errorKind = null;
        return give;
    }

    /**
     * Consumes bytes from {@code in}'s position (up to its limit) and reports what they complete;
     * payloads are copied out of {@code in}.
     *
     * @return {@link #NEED_MORE}, {@link #PAUSED}, {@link #CLOSED} or {@link #FAILED}
     */
    public int feed(ByteBuffer in, Sink sink) {
        return feed(in, null, sink);
    }

    /**
     * As {@link #feed(ByteBuffer, Sink)}, for input owned by {@code inOwner}: a large message whose
     * payload fits in {@code in}'s capacity is left unconsumed until it is whole there (the caller
     * keeps {@link #wholeBytesWanted()} bytes of room from the unparsed ones on, and feeds the same
     * bytes again with more behind them), then gets sections that are views of {@code in}, each
     * holding a reference on {@code inOwner}. The caller must not overwrite bytes of {@code in}
     * while it has references beyond its own (the reader also holds one from the payload until the
     * footer is read).
     *
     * @param inOwner the owner of {@code in}'s memory, or null to copy payloads
     */
    public int feed(ByteBuffer in, ReferenceCounted inOwner, Sink sink) {
        int generation = resets;
        while (true) {
            switch (state) {
                case FAILED:
                    return FAILED;
                case CLOSED:
                    return CLOSED;
                case TAG: {
                    // a sink callback that closed the session reset us: what is left in `in` is no longer ours
                    if (!in.hasRemaining() || resets != generation) {
                        return NEED_MORE;
                    }
                    int tag = in.get() & 0xFF;
                    switch (tag) {
                        case Msgr.TAG_MSG:
                            expect(State.HEADER, Msgr.HEADER_SIZE);
                            break;
                        case Msgr.TAG_ACK:
                            expect(State.ACK, 8);
                            break;
                        case Msgr.TAG_KEEPALIVE:
                            framesDecoded++;
                            sink.onKeepalive();
                            break;
                        case Msgr.TAG_KEEPALIVE2:
                            expect(State.KEEPALIVE2, Msgr.TIMESPEC_SIZE);
                            break;
                        case Msgr.TAG_KEEPALIVE2_ACK:
                            expect(State.KEEPALIVE2_ACK, Msgr.TIMESPEC_SIZE);
                            break;
                        case Msgr.TAG_CLOSE:
                            framesDecoded++;
                            state = State.CLOSED;
                            return CLOSED;
                        default:
                            return fail(ErrorKind.PROTOCOL, "bad tag " + tag + " (" + Msgr.tagName(tag) + ") in an open session");
                    }
                    break;
                }
                case ACK:
                    if (!fillScratch(in)) {
                        return NEED_MORE;
                    }
                    framesDecoded++;
                    state = State.TAG;
                    sink.onAck(scratchBuf.getLong(0));
                    break;
                case KEEPALIVE2:
                case KEEPALIVE2_ACK: {
                    if (!fillScratch(in)) {
                        return NEED_MORE;
                    }
                    framesDecoded++;
                    int sec = scratchBuf.getInt(0);
                    int nsec = scratchBuf.getInt(4);
                    boolean ack = state == State.KEEPALIVE2_ACK;
                    state = State.TAG;
                    if (ack) {
                        sink.onKeepalive2Ack(sec, nsec);
                    } else {
                        sink.onKeepalive2(sec, nsec);
                    }
                    break;
                }
                case HEADER: {
                    if (!fillScratch(in)) {
                        return NEED_MORE;
                    }
                    if (header.computeCrc() != header.crc()) {
                        return fail(ErrorKind.CRC, "bad header crc 0x" + Integer.toHexString(header.crc()) + ", computed 0x"
                                + Integer.toHexString(header.computeCrc()) + " (" + header + ")");
                    }
                    long total = header.frontLen() + header.middleLen() + header.dataLen();
                    if (total > maxMessageBytes) {
                        return fail(ErrorKind.OVERSIZED, "message of " + total + " bytes exceeds the limit of " + maxMessageBytes + " ("
                                + header + ")");
                    }
                    state = State.ADMIT;
                    break;
                }
                case ADMIT: {
                    long total = header.frontLen() + header.middleLen() + header.dataLen();
                    if (!sink.admit(total)) {
                        return PAUSED;
                    }
                    admitted = total;
                    admissionHeld = true;
                    // total <= maxMessageBytes <= Integer.MAX_VALUE - 8 (checked at construction)
                    frontLen = (int) header.frontLen();
                    middleLen = (int) header.middleLen();
                    dataLen = (int) header.dataLen();
                    sectionFill = 0;
                    if (inOwner != null && total >= IN_PLACE_MIN && total <= in.capacity()) {
                        // a large payload the input can hold whole: wait for all of it there
                        state = State.WHOLE;
                        break;
                    }
                    if (PayloadCache.fits(total)) {
                        pooled = memory.payloads().take((int) total);
                    } else if (total > PayloadCache.MAX_SIZE) {
                        pieces = new ReceiveMemory.Chunk[(int) ((total + memory.chunkSize() - 1) / memory.chunkSize())];
                        piecesTaken = 0;
                    } else {
                        payload = total == 0 ? NO_PAYLOAD : new byte[(int) total];
                    }
                    state = State.FRONT;
                    break;
                }
                case WHOLE: {
                    int total = frontLen + middleLen + dataLen;
                    if (inOwner == null || in.remaining() < total) {
                        return NEED_MORE;
                    }
                    // the sections will be views of the input: nothing copied
                    inOwner.retain();
                    inPlaceOwner = inOwner;
                    inPlace = in;
                    inPlaceAt = in.position();
                    in.position(inPlaceAt + total);
                    footerNext();
                    break;
                }
                case FRONT, MIDDLE, DATA:
                    if (!fillSection(in, sectionOffset(), sectionLength())) {
                        return NEED_MORE;
                    }
                    nextSection();
                    break;
                case FOOTER: {
                    if (!fillScratch(in)) {
                        return NEED_MORE;
                    }
                    int r = finishMessage(sink);
                    if (r != NEED_MORE) {
                        return r;
                    }
                    break;
                }
                default:
                    return fail(ErrorKind.PROTOCOL, "reader in state " + state);
            }
        }
    }

    private int finishMessage(Sink sink) {
        int f = Msgr.HEADER_SIZE;
        int flags = scratch[f + MessageFooter.flagsOffset(msgAuth)] & 0xFF;
        if ((flags & Msgr.FOOTER_COMPLETE) == 0) {
            return fail(ErrorKind.PROTOCOL, "message aborted by the sender (footer flags " + flags + ", " + header + ")");
        }
        int frontCrc = scratchBuf.getInt(f + MessageFooter.FRONT_CRC_OFFSET);
        int middleCrc = scratchBuf.getInt(f + MessageFooter.MIDDLE_CRC_OFFSET);
        int dataCrc = scratchBuf.getInt(f + MessageFooter.DATA_CRC_OFFSET);
        BufferList front = section(0, frontLen);
        BufferList middle = section(frontLen, middleLen);
        BufferList data = section(frontLen + middleLen, dataLen);
        String bad = verifiedCrc(front) != frontCrc ? "front" : verifiedCrc(middle) != middleCrc ? "middle"
                : checkDataCrc && (flags & Msgr.FOOTER_NOCRC) == 0 && verifiedCrc(data) != dataCrc ? "data" : null;
        if (bad != null) {
            front.clear();
            middle.clear();
            data.clear();
            return fail(ErrorKind.CRC, "bad " + bad + " crc (" + header + ")");
        }
        Message m = new Message(header.type(), front, middle, data);
        dropPooled();
        dropPieces();
        dropInPlace();
        m.priority(header.priority()).tid(header.tid()).version(header.version()).compatVersion(header.compatVersion())
                .dataOffset(header.dataOff());
        m.seq(header.seq());
        m.source(source(header.srcType(), header.srcNum()));
        payload = null;
        admitted = 0;
        admissionHeld = false;
        have = 0;
        state = State.TAG;
        framesDecoded++;
        sink.onMessage(m);
        return NEED_MORE;
    }

    /** @return the sender's name; the same (immutable) instance while it does not change. */
    private EntityName source(int type, long num) {
        EntityName last = lastSource;
        if (last == null || last.type() != type || last.num() != num) {
            last = new EntityName(type, num);
            lastSource = last;
        }
        return last;
    }

    /** The payload is complete: the footer comes next. */
    private void footerNext() {
        // the header lives in scratch[0..53): keep it, read the footer behind it
        need = Msgr.HEADER_SIZE + MessageFooter.size(msgAuth);
        have = Msgr.HEADER_SIZE;
        state = State.FOOTER;
    }

    /**
     * @return the crc32c (seed 0) of a section just cut; the crc of each segment is remembered by
     *     its owner when the owner is this message's alone (a recycled payload or a piece, not the
     *     read chunk other messages share), so that sending the section on (an echo, a forward)
     *     need not compute it again ({@link FrameWriter}); a segment's crc is chained onto the
     *     ones before it ({@link Crc32c#concat})
     */
    private int verifiedCrc(BufferList section) {
        int segments = section.segmentCount();
        boolean own = inPlaceOwner == null;
        int crc = 0;
        for (int i = 0; i < segments; i++) {
            ByteBuffer view = section.segment(i);
            int n = view.remaining();
            int c = Crc32c.update(0, view, view.position(), n);
            crc = Crc32c.concat(crc, c, n);
            if (own && section.owner(i) instanceof CountedBuffer owner) {
                owner.rememberCrc(view, c);
            }
        }
        return crc;
    }

    /**
     * A section of the message: a view of the input, or of the recycled payload (both owned), or of
     * {@link #payload}, owned by the collector.
     */
    private BufferList section(int offset, int length) {
        BufferList list = new BufferList();
        if (length > 0) {
            if (inPlaceOwner != null) {
                list.append(inPlaceWindow(inPlaceAt + offset, length), inPlaceOwner);
            } else if (pooled != null) {
                list.append(pooled.sectionView(offset, length), pooled);
            } else if (pieces != null) {
                int size = memory.chunkSize();
                for (int at = offset, end = offset + length; at < end; ) {
                    ReceiveMemory.Chunk piece = pieces[at / size];
                    int within = at % size;
                    int n = Math.min(end - at, size - within);
                    list.append(piece.sectionView(within, n), piece);
                    at += n;
                }
            } else {
                list.append(ByteBuffer.wrap(payload, offset, length));
            }
        }
        return list;
    }

    /** @return a window over {@code length} bytes of the input from {@code index}, valid until the next call */
    private ByteBuffer inPlaceWindow(int index, int length) {
        if (inPlaceWindowOf != inPlace) {
            inPlaceWindow = inPlace.asReadOnlyBuffer();
            inPlaceWindowOf = inPlace;
        }
        return inPlaceWindow.limit(index + length).position(index);
    }

    /** Drops the reader's own reference to the input holding the payload (its section views keep theirs). */
    private void dropInPlace() {
        ReferenceCounted owner = inPlaceOwner;
        if (owner != null) {
            inPlaceOwner = null;
            inPlace = null;
            owner.release();
        }
    }

    /** Drops the reader's own reference to the recycled payload (its section views keep theirs). */
    private void dropPooled() {
        PayloadCache.Payload p = pooled;
        if (p != null) {
            pooled = null;
            p.release();
        }
    }

    /** Drops the reader's own references to the pieces of a large payload (its section views keep theirs). */
    private void dropPieces() {
        ReceiveMemory.Chunk[] p = pieces;
        if (p != null) {
            pieces = null;
            for (int i = 0; i < piecesTaken; i++) {
                p[i].release();
            }
            piecesTaken = 0;
        }
    }

    /** @return recycled payload arrays waiting for the next message (for tests). */
    int cachedPayloads() {
        return memory.payloads().cached();
    }

    private void expect(State next, int bytes) {
        state = next;
        need = bytes;
        have = 0;
    }

    private boolean fillScratch(ByteBuffer in) {
        int take = Math.min(need - have, in.remaining());
        in.get(scratch, have, take);
        have += take;
        return have == need;
    }

    /** Copies {@code count} bytes from {@code in} to the payload's pieces from payload offset {@code at}, taking chunks as needed. */
    private void fillPieces(ByteBuffer in, int at, int count) {
        int size = memory.chunkSize();
        for (int left = count; left > 0; ) {
            int within = at % size;
            int n = Math.min(left, size - within);
            piece(at / size).buffer.put(within, in, in.position(), n);
            in.position(in.position() + n);
            at += n;
            left -= n;
        }
    }

    /** @return the piece of index {@code index}, taken from the loop's memory when first needed (pieces fill in order) */
    private ReceiveMemory.Chunk piece(int index) {
        if (index == piecesTaken) {
            pieces[piecesTaken++] = memory.takeChunk();
        }
        return pieces[index];
    }

    /**
     * Where the socket may read the next bytes of a large payload itself, saving the copy out of
     * the read buffer: a window over the piece the payload continues in, up to the end of that
     * piece or of the section; null unless the reader is inside the sections of a payload that is
     * being put into pieces. The caller must have fed every byte it read before (the read buffer
     * holds nothing unparsed), and reports what it read with {@link #directFilled(int)}.
     */
    public ByteBuffer directTarget() {
        if (pieces == null) {
            return null;
        }
        directFilled(0); // past any section already complete
        if (!inSections()) {
            return null;
        }
        int at = sectionOffset() + sectionFill;
        int size = memory.chunkSize();
        int n = Math.min(sectionOffset() + sectionLength() - at, size - at % size);
        return piece(at / size).window(at % size, n);
    }

    /** Takes in {@code n} bytes the socket read into {@link #directTarget()}'s window (from its start). */
    public void directFilled(int n) {
        sectionFill += n;
        // a completed section moves the reader on, as feed would; the footer comes through feed
        while (inSections() && sectionFill == sectionLength()) {
            sectionFill = 0;
            nextSection();
        }
    }

    private boolean inSections() {
        return state == State.FRONT || state == State.MIDDLE || state == State.DATA;
    }

    /** The section being read is complete: on to the next one, after the data section the footer. */
    private void nextSection() {
        if (state == State.DATA) {
            footerNext();
        } else {
            state = state == State.FRONT ? State.MIDDLE : State.DATA;
        }
    }

    /** @return where the section being read starts in the payload (FRONT, MIDDLE or DATA) */
    private int sectionOffset() {
        return state == State.FRONT ? 0 : state == State.MIDDLE ? frontLen : frontLen + middleLen;
    }

    /** @return the length of the section being read (FRONT, MIDDLE or DATA) */
    private int sectionLength() {
        return state == State.FRONT ? frontLen : state == State.MIDDLE ? middleLen : dataLen;
    }

    private boolean fillSection(ByteBuffer in, int offset, int length) {
        int take = Math.min(length - sectionFill, in.remaining());
        if (pooled != null) {
            pooled.buffer.put(offset + sectionFill, in, in.position(), take);
            in.position(in.position() + take);
        } else if (pieces != null) {
            fillPieces(in, offset + sectionFill, take);
        } else {
            in.get(payload, offset + sectionFill, take);
        }
        sectionFill += take;
        if (sectionFill < length) {
            return false;
        }
        sectionFill = 0;
        return true;
    }

    private int fail(ErrorKind kind, String reason) {
        error = reason;
        errorKind = kind;
        state = State.FAILED;
        return FAILED;
    }
}
