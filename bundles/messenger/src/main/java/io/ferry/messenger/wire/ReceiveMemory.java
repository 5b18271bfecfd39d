package io.ferry.messenger.wire;

import io.ferry.api.event.EventCenter;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The receive-side memory the connections of one event loop share: the chunks their sockets read
 * into ({@link ReceiveBuffer}) and the buffers mid-sized payloads are copied to
 * ({@link PayloadCache}). A connection holds a chunk only while it has unparsed bytes or messages
 * still viewing it; otherwise the chunk comes back here, so the next connection the loop serves
 * reads into the same, cache-warm memory, and an idle connection holds no receive memory at all.
 * (Netty's pooled allocator has the same effect with a per-thread cache of read buffers; Ceph's
 * connections each allocate theirs.) Measured on the messenger bench, 4 KiB x 16 connections: about
 * 1.5 us less CPU per round trip than a chunk and a payload cache per connection
 * (docs/native-io.md, section 3).
 *
 * <p>One instance per loop for every messenger in the process ({@link #forLoop}), as Ceph's
 * messengers share the stack's workers. The table holds loops weakly: a stopped stack's loops and
 * their memory go to the collector, and the core bundle never references this bundle's classes.
 *
 * <p>Chunks also hold the payloads too large for a chunk of the read buffer: such a payload is
 * copied into a run of whole chunks (its pieces, {@link FrameReader}), direct memory sent on by
 * address, and the chunks come back here when the message is released.
 *
 * <p><b>Bounded:</b> per loop, at most {@value #SPARE_CHUNKS} idle chunks kept warm for reads and
 * {@value #RESERVE_CHUNKS} more for the pieces of large payloads ({@code (4 + 64) x 64 KiB} =
 * 4.25 MiB), and {@link PayloadCache}'s bound; a buffer coming back to full slots is left to the
 * collector.
 *
 * <p><b>Threading:</b> buffers are taken on the loop's thread (the connections' reads), and come
 * back from any thread (the last release of a message).
 */
public final class ReceiveMemory {
    /** Bytes per read chunk: also the most one read brings. */
    public static final int CHUNK_SIZE = 64 * 1024;
    static final int SPARE_CHUNKS = 4;
    /** Idle chunks kept beyond {@link #SPARE_CHUNKS}, for large payloads (one 4 MiB message's worth). */
    static final int RESERVE_CHUNKS = 64;

    private static final Map<EventCenter, ReceiveMemory> BY_LOOP = new WeakHashMap<>();

    private final int chunkSize;
    /** The warm ones, taken first; the reserve is searched only when they run out. */
    private final Spares<Chunk> spareChunks = new Spares<>(SPARE_CHUNKS);
    private final Spares<Chunk> reserveChunks = new Spares<>(RESERVE_CHUNKS);
    private final PayloadCache payloads = new PayloadCache();
    /** Chunks allocated so far (taken on the loop's thread only). */
    private int chunksCreated;

    /** @param chunkSize bytes per read chunk, at least {@link ReceiveBuffer#MIN_ROOM} */
    public ReceiveMemory(int chunkSize) {
        if (chunkSize < ReceiveBuffer.MIN_ROOM) {
            throw new IllegalArgumentException("chunk of " + chunkSize + " bytes, at least " + ReceiveBuffer.MIN_ROOM);
        }
        this.chunkSize = chunkSize;
    }

    /** @return the memory shared by the connections on {@code loop} (chunks of {@link #CHUNK_SIZE}); any thread */
    public static ReceiveMemory forLoop(EventCenter loop) {
        synchronized (BY_LOOP) {
            return BY_LOOP.computeIfAbsent(loop, l -> new ReceiveMemory(CHUNK_SIZE));
        }
    }

    int chunkSize() {
        return chunkSize;
    }

    PayloadCache payloads() {
        return payloads;
    }

    /**
     * @return a chunk holding one reference (the caller's), warm from an earlier read if one is
     *     spare; its buffer cleared (position 0, limit its capacity) whatever its last user left
     */
    Chunk takeChunk() {
        Chunk c = spareChunks.take(0, SPARE_CHUNKS);
        if (c == null) {
            c = reserveChunks.take(0, RESERVE_CHUNKS);
        }
        if (c == null) {
            chunksCreated++;
            return new Chunk(this, ByteBuffer.allocateDirect(chunkSize));
        }
        c.buffer.clear();
        return c;
    }

    private void recycle(Chunk c) {
        if (!spareChunks.put(c, 0, SPARE_CHUNKS)) {
            reserveChunks.put(c, 0, RESERVE_CHUNKS);
        }
    }

    /** @return chunks allocated so far (for tests: once all are idle, none leaked); the loop's thread */
    int chunksCreated() {
        return chunksCreated;
    }

    /** @return idle chunks waiting (for tests) */
    int spareChunks() {
        return spareChunks.count(0, SPARE_CHUNKS) + reserveChunks.count(0, RESERVE_CHUNKS);
    }

    /** One direct read chunk; the owner of the views cut from it. */
    static final class Chunk extends CountedBuffer {
        private final ReceiveMemory home;

        Chunk(ReceiveMemory home, ByteBuffer memory) {
            super(memory);
            this.home = home;
        }

        @Override
        protected void freed() {
            home.recycle(this);
        }
    }
}
