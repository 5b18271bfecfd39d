package io.ferry.core.buffer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the buffer pool (PID {@value #PID}). */
@ObjectClassDefinition(id = BufferPoolConfig.PID, name = "Ferry buffer pool",
        description = "Direct buffers in size classes (256 B, 4 KiB, 64 KiB) with per-thread caches and shared free lists.")
@interface BufferPoolConfig {
    String PID = "io.ferry.core.buffer";
    long MAX_CACHED_BYTES_DEFAULT = 64L << 20;
    int THREAD_CACHE_BYTES_DEFAULT = 256 << 10;

    @AttributeDefinition(name = "Shared cache limit (bytes)", min = "0",
            description = "Most bytes of free buffers the shared free lists keep; a buffer released beyond it is "
                    + "dropped and its memory left to the garbage collector.")
    long maxCachedBytes() default MAX_CACHED_BYTES_DEFAULT;

    @AttributeDefinition(name = "Thread cache per size class (bytes)", min = "0",
            description = "Most bytes of free buffers each thread keeps for itself per size class (at most 64 "
                    + "buffers); 0 turns the thread caches off.")
    int threadCacheBytes() default THREAD_CACHE_BYTES_DEFAULT;
}
