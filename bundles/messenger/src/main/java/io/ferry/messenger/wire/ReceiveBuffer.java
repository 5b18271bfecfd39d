package io.ferry.messenger.wire;

import io.ferry.api.buffer.ReferenceCounted;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A connection's read buffer, made of direct chunks that received messages' sections may be views
 * of (see {@link FrameReader#feed(ByteBuffer, ReferenceCounted, FrameReader.Sink)}): a large
 * message is handed on without copying its payload out of the buffer the socket read into.
 *
 * <p>The buffer alternates between two modes. Between reads, {@link #forRead()} is positioned at
 * the free room behind the unparsed bytes; {@link #forParse()} then shows the unparsed bytes
 * (position..limit) to the parsers, which consume by moving its position; {@link #settle()} goes
 * back. Where the next read goes depends on whether any view of the chunk is still alive:
 * none (the usual case between echoes, and always during a handshake) - the unparsed rest moves to
 * the chunk's start, as {@link ByteBuffer#compact()}; some - the chunk's bytes stay put and
 * reading goes on behind them while at least {@value #MIN_ROOM} bytes are free (and, with
 * {@link #settle(int)}, while a frame the parser wants whole still fits from its first byte on),
 * after which the unparsed rest is copied to another chunk and this one is left to its views.
 *
 * <p><b>Lifetime:</b> a chunk is the {@link ReferenceCounted} owner of the views cut from it; the
 * buffer holds one reference on its current chunk. A chunk whose last reference goes returns to
 * this buffer's spares (at most {@value #SPARES}), else to the collector. So memory held by
 * received messages is bounded by what the throttle admits, rounded up to whole chunks.
 *
 * <p><b>Threading:</b> one connection's event loop uses the buffer; chunks may be released (and
 * so come back) on any thread.
 */
public final class ReceiveBuffer {
    /** Free bytes below which a chunk that views still use is left for another. */
    static final int MIN_ROOM = 16 * 1024;
    static final int SPARES = 2;

    private final int chunkSize;
    private final AtomicReferenceArray<Chunk> spares = new AtomicReferenceArray<>(SPARES);
    private Chunk chunk;
    /** Where the unparsed bytes start. */
    private int parseFrom;
    /** Where they end: the next read goes here. */
    private int end;

    /** @param chunkSize bytes per chunk; also the most a single read can bring */
    public ReceiveBuffer(int chunkSize) {
        if (chunkSize < MIN_ROOM) {
            throw new IllegalArgumentException("chunk of " + chunkSize + " bytes, at least " + MIN_ROOM);
        }
        this.chunkSize = chunkSize;
        this.chunk = new Chunk(this, chunkSize);
    }

    /** @return the chunk's buffer positioned at the free room (position = end of the unparsed bytes, limit = capacity) */
    public ByteBuffer forRead() {
        ByteBuffer b = chunk.buffer;
        b.limit(b.capacity()).position(end);
        return b;
    }

    /**
     * Takes in what a read put behind the unparsed bytes: call after the socket read moved
     * {@link #forRead()}'s position.
     */
    public void received() {
        end = chunk.buffer.position();
    }

    /** @return the unparsed bytes (position..limit); parsers consume by moving the position */
    public ByteBuffer forParse() {
        ByteBuffer b = chunk.buffer;
        b.limit(end).position(parseFrom);
        return b;
    }

    /** @return the owner of the current chunk, for views of {@link #forParse()}'s bytes */
    public ReferenceCounted owner() {
        return chunk;
    }

    /** @return the number of bytes not parsed yet */
    public int unparsed() {
        return end - parseFrom;
    }

    /** @return bytes the next read may bring */
    public int room() {
        return chunk.buffer.capacity() - end;
    }

    /** Takes in how far the parsers got in {@link #forParse()} and makes room for the next read. */
    public void settle() {
        settle(0);
    }

    /**
     * As {@link #settle()}, keeping room for {@code wholeBytes} bytes from the first unparsed one on
     * (at most the chunk size): a frame the parser wants to see whole before it takes it in place.
     */
    public void settle(int wholeBytes) {
        parseFrom = chunk.buffer.position();
        int rest = end - parseFrom;
        if (chunk.refCount() == 1) {
            // nothing else refers to the chunk: reuse it from the start
            if (rest > 0 && parseFrom > 0) {
                ByteBuffer b = chunk.buffer;
                b.put(0, b, parseFrom, rest);
            }
            parseFrom = 0;
            end = rest;
            return;
        }
        if (chunk.buffer.capacity() - end >= MIN_ROOM && chunk.buffer.capacity() - parseFrom >= wholeBytes) {
            return;
        }
        Chunk next = take();
        if (rest > 0) {
            next.buffer.put(0, chunk.buffer, parseFrom, rest);
        }
        chunk.release();
        chunk = next;
        parseFrom = 0;
        end = rest;
    }

    /** Drops every unparsed byte (a new stream begins); views of the chunk stay valid. */
    public void clear() {
        if (chunk.refCount() != 1) {
            Chunk next = take();
            chunk.release();
            chunk = next;
        }
        parseFrom = 0;
        end = 0;
    }

    /** @return spare chunks waiting (for tests) */
    int spares() {
        int n = 0;
        for (int i = 0; i < SPARES; i++) {
            if (spares.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private Chunk take() {
        for (int i = 0; i < SPARES; i++) {
            Chunk c = spares.get(i);
            if (c != null && spares.compareAndSet(i, c, null)) {
                c.reuse();
                return c;
            }
        }
        return new Chunk(this, chunkSize);
    }

    private void recycle(Chunk c) {
        for (int i = 0; i < SPARES; i++) {
            if (spares.get(i) == null && spares.compareAndSet(i, null, c)) {
                return;
            }
        }
    }

    /** One direct chunk; the owner of the views cut from it. */
    private static final class Chunk extends CountedBuffer {
        private final ReceiveBuffer home;

        Chunk(ReceiveBuffer home, int size) {
            super(ByteBuffer.allocateDirect(size));
            this.home = home;
        }

        @Override
        protected void freed() {
            home.recycle(this);
        }
    }
}
