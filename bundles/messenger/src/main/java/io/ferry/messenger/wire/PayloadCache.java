package io.ferry.messenger.wire;

import java.nio.ByteBuffer;

/**
 * Reuses the buffers that received messages' sections live in, for the connections of one event
 * loop (see {@link ReceiveMemory}; a {@link FrameReader} made without one has its own). A
 * fresh array per message costs zeroing and, worse, writes to cold memory (each message lands in
 * cache lines the CPU has not held before); a recycled buffer is still in cache. Messages of
 * {@value #MIN_SIZE} B to {@value #MAX_SIZE} B take a {@link Payload} from here, a direct buffer, so
 * that a section sent on (an echo, a forward) is written to a kernel socket by address instead of
 * being copied to native memory first; smaller and larger ones get a new heap array.
 *
 * <p><b>Lifetime:</b> a {@link Payload} is the {@link io.ferry.api.buffer.ReferenceCounted} owner of every section
 * view cut from it, so it comes back only when every {@link io.ferry.api.buffer.BufferList}
 * holding one of its views dropped it (the message released, and any list the sections were moved
 * to, such as an echoed reply, released too). A caller that keeps a bare {@link ByteBuffer} taken
 * from a section after releasing the message must copy it first (as for any pooled buffer).
 *
 * <p><b>Bounded:</b> at most {@value #SLOTS_PER_CLASS} buffers per power-of-two size class are
 * kept (under 128 KiB per cache); a payload coming back to a full class is left to the collector
 * (direct memory freed by its cleaner).
 *
 * <p><b>Threading:</b> {@link #take} on the reader's thread; payloads may be released (and so
 * come back) on any thread.
 */
final class PayloadCache {
    static final int MIN_SIZE = 1024;
    static final int MAX_SIZE = 16 * 1024;
    private static final int MIN_SHIFT = 10;
    private static final int CLASSES = 5;
    private static final int SLOTS_PER_CLASS = 4;

    private final Spares<Payload> slots = new Spares<>(CLASSES * SLOTS_PER_CLASS);

    /** @return true if a message of {@code size} bytes is served from the cache */
    static boolean fits(long size) {
        return size >= MIN_SIZE && size <= MAX_SIZE;
    }

    /**
     * @param size payload bytes, {@link #fits} it
     * @return a payload of at least {@code size} bytes holding one reference (the caller's)
     */
    Payload take(int size) {
        int sizeClass = sizeClass(size);
        Payload p = slots.take(sizeClass * SLOTS_PER_CLASS, (sizeClass + 1) * SLOTS_PER_CLASS);
        return p != null ? p : new Payload(this, ByteBuffer.allocateDirect(MIN_SIZE << sizeClass), sizeClass);
    }

    private void recycle(Payload p) {
        slots.put(p, p.sizeClass * SLOTS_PER_CLASS, (p.sizeClass + 1) * SLOTS_PER_CLASS);
    }

    /** @return cached payloads, for tests */
    int cached() {
        return slots.count(0, CLASSES * SLOTS_PER_CLASS);
    }

    static int sizeClass(int size) {
        int shift = 32 - Integer.numberOfLeadingZeros(Math.max(size, MIN_SIZE) - 1);
        return shift - MIN_SHIFT;
    }

    /** One reusable buffer; the owner of the section views cut from it. */
    static final class Payload extends CountedBuffer {
        private final PayloadCache cache;
        private final int sizeClass;

        /** @param buffer direct: a section echoed or forwarded goes to a kernel socket by address, not copied again */
        Payload(PayloadCache cache, ByteBuffer buffer, int sizeClass) {
            super(buffer);
            this.cache = cache;
            this.sizeClass = sizeClass;
        }

        @Override
        protected void freed() {
            cache.recycle(this);
        }
    }
}
