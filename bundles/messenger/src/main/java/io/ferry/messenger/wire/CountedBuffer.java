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
 * <p><b>Threading:</b> retained and released from any thread; {@link #reuse()} by the one thread
 * that took the buffer back.
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

    /** Called on the thread that released the last reference. */
    protected abstract void freed();

    /** Gives a freed buffer its creator's reference again, for its next use. */
    final void reuse() {
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
