package io.ferry.api.buffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Hands out direct buffers from size classes with per-thread caches, so the steady state of an
 * event loop allocates nothing. Registered as an OSGi service by the core bundle.
 *
 * <p>Any thread may allocate; a buffer may be released on a different thread than the one that
 * allocated it (it then returns to a shared free list).
 */
@ProviderType
public interface BufferPool {
    /**
     * @param size bytes needed, > 0; sizes above the largest class are allocated unpooled
     * @return a buffer with reference count 1, zero-length position and limit == size
     */
    PooledBuffer allocate(int size);

    /** @return bytes currently handed out and not yet released (for leak checks and status). */
    long bytesInUse();

    /** @return buffers currently handed out and not yet released. */
    long buffersInUse();
}
