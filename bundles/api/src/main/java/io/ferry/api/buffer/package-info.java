/**
 * Buffers that let a message be a list of segments without copying (Ceph's {@code bufferlist}),
 * and the pool their memory comes from.
 *
 * <p>A {@link io.ferry.api.buffer.BufferList} is owned by one thread at a time and is not
 * thread-safe; hand it over through an event center. Pooled memory is reference counted: each
 * list holding a segment of a {@link io.ferry.api.buffer.PooledBuffer} holds one reference, and the
 * memory returns to its pool when the last reference is released.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.ferry.api.buffer;
