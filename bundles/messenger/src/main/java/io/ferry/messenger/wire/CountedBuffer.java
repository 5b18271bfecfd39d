package io.ferry.messenger.wire;

import io.ferry.api.buffer.ReferenceCounted;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A buffer the messenger reuses, with its reference count ({@link PayloadCache}'s payloads, a
 * {@link ReceiveBuffer}'s chunks, a {@link FrameWriter}'s staging chunks): it starts at one, the
 * creator's; each view appended to a {@link io.ferry.api.buffer.BufferList} holds one more; the
 * release of the last calls {@link #freed()}, which may hand the buffer back for reuse.
 *
 * <p>A buffer that received sections are cut from ({@link #sectionView}) also remembers the crc32c
 * the reader verified over each of them ({@link #rememberCrc}), so that a message echoed or
 * forwarded with those sections is not checksummed again on the way out ({@link #rememberedCrc};
 * Ceph keeps the same cache in its {@code buffer::raw}). Section views are read-only, so the bytes
 * a remembered crc covers cannot change under it.
 *
 * <p><b>Threading:</b> retained and released from any thread; {@link #reuse()} by the one thread
 * that took the buffer back. Crcs are remembered by the reader's thread before the message they
 * belong to is handed on, and read by whoever holds that message afterwards (the hand-over orders
 * the two); {@link #reuse()} forgets them, which cannot race a reader since a buffer is reused only
 * after its last view was released.
 */
abstract class CountedBuffer implements ReferenceCounted {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(CountedBuffer.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The memory, little-endian; absolute access only (views are cut through {@link #window}). */
    final ByteBuffer buffer;
    /** A movable window over {@link #buffer} for {@code BufferList.append}, which takes its own slice. */
    private final ByteBuffer window;
    /** The read-only twin of {@link #window}, for the sections of received messages; made on first use. */
    private ByteBuffer sectionWindow;
    /**
     * Remembered crcs: the section view, and per entry its length and crc32c (seed 0); made on the
     * first (a staging chunk, or a read chunk only ever viewed in place, never needs them).
     */
    private ByteBuffer[] crcViews;
    private int[] crcLengths;
    private int[] crcValues;
    private int crcCount;
    /** A message's three sections. */
    static final int REMEMBERED_CRCS = 3;

    @SuppressWarnings("unused") // through REFS
    private volatile int refs = 1;

    CountedBuffer(ByteBuffer memory) {
        this.buffer = memory.order(ByteOrder.LITTLE_ENDIAN);
        this.window = memory.duplicate();
    }

    /**
     * @return a window over {@code length} bytes from {@code offset}, valid until the next call; one
     *     thread at a time (the one filling or reading the buffer)
     */
    final ByteBuffer window(int offset, int length) {
        window.limit(offset + length).position(offset);
        return window;
    }

    /**
     * @return a read-only window over {@code length} bytes from {@code offset}, valid until the next
     *     call, for a received section's view (appending it to a list slices it); the reader's thread
     */
    final ByteBuffer sectionView(int offset, int length) {
        ByteBuffer w = sectionWindow;
        if (w == null) {
            w = buffer.asReadOnlyBuffer();
            sectionWindow = w;
        }
        w.limit(offset + length).position(offset);
        return w;
    }

    /**
     * Remembers the crc32c (seed 0) of all of {@code view}'s bytes, a section view of this buffer
     * as a list holds it (position 0); the oldest entry gives way when all are taken. Reader's thread.
     */
    final void rememberCrc(ByteBuffer view, int crc) {
        if (crcViews == null) {
            crcViews = new ByteBuffer[REMEMBERED_CRCS];
            crcLengths = new int[REMEMBERED_CRCS];
            crcValues = new int[REMEMBERED_CRCS];
        } else if (crcCount == REMEMBERED_CRCS) {
            System.arraycopy(crcViews, 1, crcViews, 0, REMEMBERED_CRCS - 1);
            System.arraycopy(crcLengths, 1, crcLengths, 0, REMEMBERED_CRCS - 1);
            System.arraycopy(crcValues, 1, crcValues, 0, REMEMBERED_CRCS - 1);
            crcCount--;
        }
        int i = crcCount++;
        crcViews[i] = view;
        crcLengths[i] = view.limit();
        crcValues[i] = crc;
    }

    /**
     * @return the crc32c (seed 0) remembered for the bytes from {@code view}'s position to its limit,
     *     or -1 if none is: only a view remembered by {@link #rememberCrc}, whole
     */
    final long rememberedCrc(ByteBuffer view) {
        if (view.position() != 0) {
            return -1;
        }
        for (int i = 0; i < crcCount; i++) {
            if (crcViews[i] == view && crcLengths[i] == view.limit()) {
                return crcValues[i] & 0xFFFF_FFFFL;
            }
        }
        return -1;
    }

    /** Called on the thread that released the last reference. */
    protected abstract void freed();

    /** Gives a freed buffer its creator's reference again, for its next use. */
    final void reuse() {
        for (int i = 0; i < crcCount; i++) {
            crcViews[i] = null;
        }
        crcCount = 0;
        REFS.setVolatile(this, 1);
    }

    @Override
    public final int refCount() {
        return (int) REFS.getVolatile(this);
    }

    @Override
    public final void retain() {
        int before = (int) REFS.getAndAdd(this, 1);
        if (before <= 0) {
            REFS.getAndAdd(this, -1);
            throw new IllegalStateException("retain of a freed " + getClass().getSimpleName());
        }
    }

    @Override
    public final boolean release() {
        int after = (int) REFS.getAndAdd(this, -1) - 1;
        if (after == 0) {
            freed();
            return true;
        }
        if (after < 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " released once too often");
        }
        return false;
    }
}
