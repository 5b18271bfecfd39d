/**
 * The {@link io.ferry.api.buffer.BufferPool} service: {@link io.ferry.core.buffer.DefaultBufferPool},
 * pooled direct buffers in size classes with per-thread caches and lock-free shared free lists,
 * bounded by configuration (PID {@code io.ferry.core.buffer}). Private to the core bundle; other
 * bundles use the pool through the API interfaces.
 *
 * <p>Any thread may allocate and release; a buffer released on another thread than the one that
 * allocated it returns through a shared free list.
 */
package io.ferry.core.buffer;
