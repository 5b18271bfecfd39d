package io.ferry.core.buffer;

import io.ferry.api.buffer.PooledBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One buffer of a {@link DefaultBufferPool}: a fixed view of direct memory (a chunk of a slab, or
 * a buffer of its own above the largest size class) with an exact reference count. The object and
 * its view are recycled with the memory, so handing a buffer out allocates nothing; the count
 * catches a release of a buffer that is back in the pool.
 *
 * <p>Thread-safe: references may be taken and dropped on any thread. The view itself is not
 * thread-safe (it is a {@link ByteBuffer}).
 */
final class PooledChunk implements PooledBuffer {
    private static final AtomicIntegerFieldUpdater<PooledChunk> REF_COUNT =
            AtomicIntegerFieldUpdater.newUpdater(PooledChunk.class, "refCount");

    private final DefaultBufferPool pool;
    /** Index of the size class, or {@link DefaultBufferPool#UNPOOLED}. */
    final int sizeClass;
    private final ByteBuffer view;
    private volatile int refCount;
    /** The size asked for; written before the count is set to 1, read after it is read. */
    private int size;
    /** The cache of the thread that handed the buffer out last, or null. */
    DefaultBufferPool.ThreadCache home;

    PooledChunk(DefaultBufferPool pool, int sizeClass, ByteBuffer view) {
        this.pool = pool;
        this.sizeClass = sizeClass;
        this.view = view;
    }

    /** Prepares the chunk for a new holder: count 1, position 0, limit {@code requested}. */
    void reset(int requested) {
        size = requested;
        view.clear().limit(requested);
        view.order(ByteOrder.BIG_ENDIAN);
        REF_COUNT.set(this, 1);
    }

    /** @return the bytes of memory behind the buffer (its size class, or the size if unpooled). */
    int capacity() {
        return view.capacity();
    }

    @Override
    public ByteBuffer buffer() {
        return view;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int refCount() {
        return refCount;
    }

    @Override
    public void retain() {
        for (;;) {
            int count = refCount;
            if (count <= 0) {
                throw new IllegalStateException("retain of " + this + " after its last release");
            }
            if (count == Integer.MAX_VALUE) {
                throw new IllegalStateException("reference count of " + this + " overflows");
            }
            if (REF_COUNT.compareAndSet(this, count, count + 1)) {
                return;
            }
        }
    }

    @Override
    public boolean release() {
        for (;;) {
            int count = refCount;
            if (count <= 0) {
                throw new IllegalStateException("release of " + this + " more often than it was retained");
            }
            if (REF_COUNT.compareAndSet(this, count, count - 1)) {
                if (count == 1) {
                    pool.recycle(this);
                    return true;
                }
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return "PooledBuffer[" + size + " of " + view.capacity() + " bytes, refs " + refCount + "]";
    }
}
