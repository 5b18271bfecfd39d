package io.ferry.messenger.wire;

import io.ferry.api.buffer.ReferenceCounted;
import java.nio.ByteBuffer;

/**
 * A connection's read buffer, made of direct chunks that received messages' sections may be views
 * of (see {@link FrameReader#feed(ByteBuffer, ReferenceCounted, FrameReader.Sink)}): a large
 * message is handed on without copying its payload out of the buffer the socket read into.
 *
 * <p>The buffer alternates between two modes. Between reads, {@link #forRead()} is positioned at
 * the free room behind the unparsed bytes; {@link #forParse()} then shows the unparsed bytes
 * (position..limit) to the parsers, which consume by moving its position; {@link #settle()} goes
 * back. Where the next read goes depends on what the chunk still holds: nothing, and no view of it
 * alive (the usual case between echoes) - the chunk goes back to the loop's {@link ReceiveMemory}
 * and the next read takes one from there, most likely the same warm one another connection of the
 * loop just gave back; unparsed bytes but no view - they move to the chunk's start, as
 * {@link ByteBuffer#compact()}; some view - the chunk's bytes stay put and reading goes on behind
 * them while at least {@value #MIN_ROOM} bytes are free (and, with {@link #settle(int)}, while a
 * frame the parser wants whole still fits from its first byte on), after which the unparsed rest is
 * copied to another chunk and this one is left to its views.
 *
 * <p><b>Lifetime:</b> a chunk is the {@link ReferenceCounted} owner of the views cut from it; the
 * buffer holds one reference on its current chunk, if it has one. A chunk whose last reference
 * goes returns to the loop's {@link ReceiveMemory}. So memory held by received messages is bounded
 * by what the throttle admits, rounded up to whole chunks, and an idle connection holds none.
 *
 * <p><b>Threading:</b> one connection's event loop uses the buffer; chunks may be released (and
 * so come back) on any thread.
 */
public final class ReceiveBuffer {
    /** Free bytes below which a chunk that views still use is left for another. */
    static final int MIN_ROOM = 16 * 1024;

    private ReceiveMemory memory;
    /** The chunk reads go to, or null while the connection holds nothing unparsed. */
    private ReceiveMemory.Chunk chunk;
    /** Where the unparsed bytes start. */
    private int parseFrom;
    /** Where they end: the next read goes here. */
    private int end;

    /** @param memory the loop's memory the chunks come from and go back to */
    public ReceiveBuffer(ReceiveMemory memory) {
        this.memory = memory;
    }

    /** A buffer with memory of its own (tests, tools): chunks of {@code chunkSize} bytes. */
    public ReceiveBuffer(int chunkSize) {
        this(new ReceiveMemory(chunkSize));
    }

    private ReceiveMemory.Chunk chunk() {
        if (chunk == null) {
            chunk = memory.takeChunk();
        }
        return chunk;
    }

    /** @return the chunk's buffer positioned at the free room (position = end of the unparsed bytes, limit = capacity) */
    public ByteBuffer forRead() {
        ByteBuffer b = chunk().buffer;
        b.limit(b.capacity()).position(end);
        return b;
    }

    /**
     * Takes in what a read put behind the unparsed bytes: call after the socket read moved
     * {@link #forRead()}'s position.
     */
    public void received() {
        end = chunk().buffer.position();
    }

    /** @return the unparsed bytes (position..limit); parsers consume by moving the position */
    public ByteBuffer forParse() {
        ByteBuffer b = chunk().buffer;
        b.limit(end).position(parseFrom);
        return b;
    }

    /** @return the owner of the current chunk, for views of {@link #forParse()}'s bytes */
    public ReferenceCounted owner() {
        return chunk();
    }

    /** @return the number of bytes not parsed yet */
    public int unparsed() {
        return end - parseFrom;
    }

    /** @return bytes the next read may bring */
    public int room() {
        return (chunk == null ? memory.chunkSize() : chunk.buffer.capacity()) - end;
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
        if (chunk == null) {
            return;
        }
        parseFrom = chunk.buffer.position();
        int rest = end - parseFrom;
        int capacity = chunk.buffer.capacity();
        boolean viewed = chunk.refCount() != 1;
        if (viewed && capacity - end >= MIN_ROOM && capacity - parseFrom >= wholeBytes) {
            return; // read on behind the views
        }
        if (rest == 0) {
            // nothing left to parse: the chunk goes back to the loop (or to its views), and the
            // next read takes whichever chunk the loop gave back last
            clear();
            return;
        }
        if (!viewed) {
            if (parseFrom > 0) {
                ByteBuffer b = chunk.buffer;
                b.put(0, b, parseFrom, rest);
            }
            parseFrom = 0;
            end = rest;
            return;
        }
        ReceiveMemory.Chunk next = memory.takeChunk();
        next.buffer.put(0, chunk.buffer, parseFrom, rest);
        chunk.release();
        chunk = next;
        parseFrom = 0;
        end = rest;
    }

    /**
     * Drops every unparsed byte (a new stream begins, or the connection closes) and gives the chunk
     * back; views of it stay valid.
     */
    public void clear() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        parseFrom = 0;
        end = 0;
    }

    /**
     * Takes chunks from {@code next} from now on: the connection moved to another loop. Call on an
     * empty buffer ({@link #clear()}), on the thread that used it until now.
     */
    public void moveTo(ReceiveMemory next) {
        if (chunk != null) {
            throw new IllegalStateException("moving a read buffer that still holds a chunk");
        }
        memory = next;
    }

    /** @return idle chunks waiting in this buffer's memory (for tests) */
    int spares() {
        return memory.spareChunks();
    }
}
