package io.ferry.core.buffer;

import io.ferry.api.buffer.BufferPool;
import io.ferry.api.buffer.PooledBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BufferPool} service: direct buffers in three size classes (256 B, 4 KiB, 64 KiB),
 * carved from slabs (16 KiB, 64 KiB and 512 KiB direct allocations), so that the steady state of
 * an event loop neither allocates nor locks.
 *
 * <p><b>Where a buffer goes back:</b> released on the thread that allocated it, into that thread's
 * cache (a stack per size class, bounded by {@code threadCacheBytes}, at most
 * {@value #MAX_THREAD_CACHE_ENTRIES} buffers); released on another thread, or with the thread cache
 * full, into the size class's shared lock-free free list, as long as the shared lists then hold no
 * more than {@code maxCachedBytes} and the class's list has a free slot; otherwise the buffer is dropped and counted
 * ({@link #droppedBuffers()}). Allocation takes from the thread's cache, then the shared list, then
 * carves a new chunk. Requests above 64 KiB get a direct buffer of their own that the garbage
 * collector frees after its last release. A slab's memory returns to the operating system when
 * none of its chunks is referenced any more.
 *
 * <p><b>Bounds:</b> the pool keeps at most {@code maxCachedBytes} in its shared lists plus, per
 * thread that allocated, {@code threadCacheBytes} per size class; buffers in use are bounded only
 * by their holders ({@link #bytesInUse()} shows them).
 *
 * <p><b>Threading:</b> every method may be called from any thread; {@link #allocate} and the
 * release of a buffer are lock-free and allocate nothing once the pool is warm (a new slab is
 * taken under a short per-class lock). Counters are exact when no allocation or release is in
 * flight.
 *
 * <p><b>Shutdown:</b> after {@link #close()} (the component's deactivation) the pool caches nothing:
 * buffers still in use stay valid and are dropped when released, and {@link #allocate} keeps
 * working with unpooled buffers, so a holder of a stale service reference never fails.
 */
@Component(service = BufferPool.class, configurationPid = BufferPoolConfig.PID)
@Designate(ocd = BufferPoolConfig.class)
public final class DefaultBufferPool implements BufferPool {
    /** Most buffers one thread keeps per size class. */
    public static final int MAX_THREAD_CACHE_ENTRIES = 64;
    /** The size class index of buffers above the largest class. */
    static final int UNPOOLED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultBufferPool.class);
    private static final int[] CLASS_SIZES = {256, 4 << 10, 64 << 10};
    private static final int[] CHUNKS_PER_SLAB = {64, 16, 8};
    private static final int SHARED_LIST_MIN = 16;
    private static final int SHARED_LIST_MAX = 8192;

    private final long maxCachedBytes;
    private final int threadCacheBytes;
    private final SizeClass[] classes;
    private final int[] threadCacheEntries;
    private final ThreadLocal<ThreadCache> threadCaches;
    private final AtomicLong cachedBytes = new AtomicLong();
    private final LongAdder bytesInUse = new LongAdder();
    private final LongAdder buffersInUse = new LongAdder();
    private final LongAdder droppedBuffers = new LongAdder();
    private final LongAdder unpooledAllocations = new LongAdder();
    private final AtomicLong slabBytes = new AtomicLong();
    private volatile boolean closed;

    /** A pool with the default limits (64 MiB shared, 256 KiB per thread and size class). */
    public DefaultBufferPool() {
        this(BufferPoolConfig.MAX_CACHED_BYTES_DEFAULT, BufferPoolConfig.THREAD_CACHE_BYTES_DEFAULT);
    }

    /**
     * @param maxCachedBytes most bytes the shared free lists keep, >= 0
     * @param threadCacheBytes most bytes each thread keeps per size class, >= 0 (0: no thread caches)
     */
    public DefaultBufferPool(long maxCachedBytes, int threadCacheBytes) {
        if (maxCachedBytes < 0 || threadCacheBytes < 0) {
            throw new IllegalArgumentException("negative cache limit: maxCachedBytes=" + maxCachedBytes
                    + ", threadCacheBytes=" + threadCacheBytes);
        }
        this.maxCachedBytes = maxCachedBytes;
        this.threadCacheBytes = threadCacheBytes;
        this.classes = new SizeClass[CLASS_SIZES.length];
        this.threadCacheEntries = new int[CLASS_SIZES.length];
        for (int i = 0; i < CLASS_SIZES.length; i++) {
            classes[i] = new SizeClass(i, CLASS_SIZES[i], CHUNKS_PER_SLAB[i], sharedListCapacity(maxCachedBytes, CLASS_SIZES[i]));
            threadCacheEntries[i] = Math.min(MAX_THREAD_CACHE_ENTRIES, threadCacheBytes / CLASS_SIZES[i]);
        }
        this.threadCaches = ThreadLocal.withInitial(() -> new ThreadCache(threadCacheEntries));
    }

    /** The DS constructor: limits from configuration; a bad value is logged and replaced by its default. */
    @Activate
    public DefaultBufferPool(BufferPoolConfig config) {
        this(checked("maxCachedBytes", config.maxCachedBytes(), BufferPoolConfig.MAX_CACHED_BYTES_DEFAULT),
                (int) checked("threadCacheBytes", config.threadCacheBytes(), BufferPoolConfig.THREAD_CACHE_BYTES_DEFAULT));
        LOG.info("buffer pool active: {} bytes shared cache, {} bytes per thread and size class", maxCachedBytes,
                threadCacheBytes);
    }

    /**
     * Hands out a buffer of at least {@code size} bytes of direct memory, count 1, position 0 and
     * limit {@code size}, big-endian. Its contents are whatever its previous holder left.
     *
     * @throws IllegalArgumentException if {@code size <= 0}
     */
    @Override
    public PooledBuffer allocate(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + size);
        }
        int index = sizeClassOf(size);
        PooledChunk chunk;
        if (index == UNPOOLED || closed) {
            chunk = new PooledChunk(this, UNPOOLED, ByteBuffer.allocateDirect(size));
            unpooledAllocations.increment();
        } else {
            SizeClass sizeClass = classes[index];
            ThreadCache cache = threadCaches.get();
            chunk = cache.pop(index);
            if (chunk == null) {
                chunk = sizeClass.shared.poll();
                if (chunk != null) {
                    cachedBytes.addAndGet(-sizeClass.size);
                } else {
                    chunk = sizeClass.carve();
                }
            }
            chunk.home = cache;
        }
        chunk.reset(size);
        bytesInUse.add(size);
        buffersInUse.increment();
        return chunk;
    }

    /** Takes back a chunk whose count reached 0; called once per allocation, by {@link PooledChunk#release()}. */
    void recycle(PooledChunk chunk) {
        bytesInUse.add(-chunk.size());
        buffersInUse.decrement();
        int index = chunk.sizeClass;
        if (index == UNPOOLED) {
            return;
        }
        ThreadCache home = chunk.home;
        chunk.home = null;
        if (closed) {
            droppedBuffers.increment();
            return;
        }
        if (home != null && home.thread == Thread.currentThread() && home.push(index, chunk)) {
            return;
        }
        SizeClass sizeClass = classes[index];
        if (reserve(sizeClass.size)) {
            if (sizeClass.shared.offer(chunk)) {
                return;
            }
            cachedBytes.addAndGet(-sizeClass.size);
        }
        droppedBuffers.increment();
    }

    @Override
    public long bytesInUse() {
        return bytesInUse.sum();
    }

    @Override
    public long buffersInUse() {
        return buffersInUse.sum();
    }

    /** @return bytes of free buffers in the shared free lists (thread caches not included). */
    public long cachedBytes() {
        return cachedBytes.get();
    }

    /** @return buffers released but not kept because a cache limit was reached or the pool closed. */
    public long droppedBuffers() {
        return droppedBuffers.sum();
    }

    /** @return allocations served by a direct buffer of their own (above the largest size class, or closed). */
    public long unpooledAllocations() {
        return unpooledAllocations.sum();
    }

    /** @return bytes of direct memory taken for slabs so far. */
    public long slabBytes() {
        return slabBytes.get();
    }

    /** @return the limit on bytes kept in the shared free lists. */
    public long maxCachedBytes() {
        return maxCachedBytes;
    }

    /** @return the size classes in bytes, smallest first. */
    public static int[] sizeClasses() {
        return CLASS_SIZES.clone();
    }

    /** @return true after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops caching: empties the shared free lists and the calling thread's cache; other threads'
     * caches are dropped as those threads allocate again or end. Idempotent; any thread.
     */
    @Deactivate
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SizeClass sizeClass : classes) {
            while (sizeClass.shared.poll() != null) {
                cachedBytes.addAndGet(-sizeClass.size);
            }
        }
        threadCaches.remove();
        LOG.info("buffer pool closed: {} buffers ({} bytes) still in use", buffersInUse(), bytesInUse());
    }

    @Override
    public String toString() {
        return "BufferPool[" + buffersInUse() + " buffers / " + bytesInUse() + " bytes in use, " + cachedBytes()
                + " bytes cached, " + droppedBuffers() + " dropped" + (closed ? ", closed]" : "]");
    }

    private boolean reserve(int bytes) {
        for (;;) {
            long cached = cachedBytes.get();
            if (cached + bytes > maxCachedBytes) {
                return false;
            }
            if (cachedBytes.compareAndSet(cached, cached + bytes)) {
                return true;
            }
        }
    }

    private static int sizeClassOf(int size) {
        for (int i = 0; i < CLASS_SIZES.length; i++) {
            if (size <= CLASS_SIZES[i]) {
                return i;
            }
        }
        return UNPOOLED;
    }

    private static int sharedListCapacity(long maxCachedBytes, int classSize) {
        long wanted = Math.max(SHARED_LIST_MIN, Math.min(SHARED_LIST_MAX, maxCachedBytes / classSize));
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    private static long checked(String name, long value, long fallback) {
        if (value < 0) {
            LOG.error("buffer pool: refused configuration {}={}: must not be negative; using {}", name, value, fallback);
            return fallback;
        }
        return value;
    }

    /** One size class: its slab being carved and its shared free list. */
    private final class SizeClass {
        final int index;
        final int size;
        final int chunksPerSlab;
        final MpmcArrayQueue<PooledChunk> shared;
        private volatile Slab current;

        SizeClass(int index, int size, int chunksPerSlab, int sharedCapacity) {
            this.index = index;
            this.size = size;
            this.chunksPerSlab = chunksPerSlab;
            this.shared = new MpmcArrayQueue<>(sharedCapacity);
        }

        /** @return a never used chunk, from the current slab or a new one. */
        PooledChunk carve() {
            for (;;) {
                Slab slab = current;
                if (slab != null) {
                    int i = slab.next.getAndIncrement();
                    if (i < chunksPerSlab) {
                        return new PooledChunk(DefaultBufferPool.this, index, slab.memory.slice(i * size, size));
                    }
                }
                synchronized (this) {
                    if (current == slab) {
                        current = new Slab(ByteBuffer.allocateDirect(size * chunksPerSlab));
                        slabBytes.addAndGet((long) size * chunksPerSlab);
                    }
                }
            }
        }
    }

    /** A direct allocation cut into chunks of one size class, handed out in order. */
    private static final class Slab {
        final ByteBuffer memory;
        final AtomicInteger next = new AtomicInteger();

        Slab(ByteBuffer memory) {
            this.memory = memory;
        }
    }

    /** The free buffers one thread keeps per size class; only that thread touches it. */
    static final class ThreadCache {
        final Thread thread = Thread.currentThread();
        private final PooledChunk[][] stacks;
        private final int[] counts;

        ThreadCache(int[] capacities) {
            stacks = new PooledChunk[capacities.length][];
            for (int i = 0; i < capacities.length; i++) {
                stacks[i] = new PooledChunk[capacities[i]];
            }
            counts = new int[capacities.length];
        }

        PooledChunk pop(int index) {
            int n = counts[index];
            if (n == 0) {
                return null;
            }
            PooledChunk[] stack = stacks[index];
            PooledChunk chunk = stack[--n];
            stack[n] = null;
            counts[index] = n;
            return chunk;
        }

        boolean push(int index, PooledChunk chunk) {
            int n = counts[index];
            PooledChunk[] stack = stacks[index];
            if (n == stack.length) {
                return false;
            }
            stack[n] = chunk;
            counts[index] = n + 1;
            return true;
        }

        @Override
        public String toString() {
            return "ThreadCache[" + thread.getName() + ", " + Arrays.toString(counts) + "]";
        }
    }
}
