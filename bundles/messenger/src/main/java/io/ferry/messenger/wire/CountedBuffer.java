package io.ferry.messenger.wire;

import io.ferry.api.buffer.ReferenceCounted;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The reference count of a buffer the messenger reuses ({@link PayloadCache}'s payloads, a
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

    @SuppressWarnings("unused") // through REFS
    private volatile int refs = 1;

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
