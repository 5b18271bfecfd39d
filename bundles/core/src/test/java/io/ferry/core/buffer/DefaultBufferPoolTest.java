package io.ferry.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.ferry.api.buffer.PooledBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultBufferPoolTest {
    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private final ExecutorService third = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThreads() {
        other.shutdownNow();
        third.shutdownNow();
    }

    @Test
    void shouldHandOutTheSizeAskedForFromTheSmallestClassThatFits() {
        DefaultBufferPool pool = new DefaultBufferPool();

        PooledBuffer small = pool.allocate(100);
        PooledBuffer page = pool.allocate(257);
        PooledBuffer large = pool.allocate(64 * 1024);

        assertBuffer(small, 100, 256);
        assertBuffer(page, 257, 4096);
        assertBuffer(large, 64 * 1024, 64 * 1024);
        assertTrue(small.buffer().isDirect());
    }

    @Test
    void shouldGiveTheSameMemoryBackAfterARelease() {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer first = pool.allocate(1000);
        long address = address(first.buffer());
        first.buffer().putLong(0, 0x0123456789abcdefL);
        first.buffer().position(10).order(ByteOrder.LITTLE_ENDIAN);
        first.release();

        PooledBuffer second = pool.allocate(2000);

        assertEquals(address, address(second.buffer()));
        assertEquals(0x0123456789abcdefL, second.buffer().getLong(0), "same bytes, not cleared");
        assertBuffer(second, 2000, 4096);
        assertEquals(ByteOrder.BIG_ENDIAN, second.buffer().order());
        assertEquals(1, second.refCount());
    }

    @Test
    void shouldReturnABufferReleasedOnAnotherThreadThroughTheSharedList() throws Exception {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer buffer = pool.allocate(4096);
        long address = address(buffer.buffer());

        assertTrue(other.submit(buffer::release).get(5, TimeUnit.SECONDS));

        assertEquals(4096, pool.cachedBytes());
        long reused = third.submit(() -> address(pool.allocate(4096).buffer())).get(5, TimeUnit.SECONDS);
        assertEquals(address, reused);
        assertEquals(0, pool.cachedBytes());
    }

    @Test
    void shouldKeepABufferReleasedOnItsOwnThreadInThatThreadsCache() {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer buffer = pool.allocate(300);

        buffer.release();

        assertEquals(0, pool.cachedBytes(), "the thread cache, not the shared list");
        assertSame(buffer, pool.allocate(300));
    }

    @Test
    void shouldThrowOnADoubleRelease() {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer buffer = pool.allocate(10);
        assertTrue(buffer.release());

        IllegalStateException e = assertThrows(IllegalStateException.class, buffer::release);
        assertTrue(e.getMessage().contains("more often"), e.getMessage());
        assertEquals(0, pool.buffersInUse(), "the failed release changed nothing");
    }

    @Test
    void shouldThrowOnARetainAfterTheLastRelease() {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer buffer = pool.allocate(10);
        buffer.release();

        assertThrows(IllegalStateException.class, buffer::retain);
    }

    @Test
    void shouldReturnToThePoolOnlyAtTheLastRelease() {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer buffer = pool.allocate(10);
        buffer.retain();
        buffer.retain();

        assertFalse(buffer.release());
        assertFalse(buffer.release());
        assertEquals(1, pool.buffersInUse());
        assertTrue(buffer.release());
        assertEquals(0, buffer.refCount());
    }

    @Test
    void shouldCountBytesAndBuffersInUseBackToZero() {
        DefaultBufferPool pool = new DefaultBufferPool();
        List<PooledBuffer> held = new ArrayList<>();
        long bytes = 0;
        for (int size : new int[] {1, 256, 257, 4096, 5000, 65536, 65537, 200_000}) {
            held.add(pool.allocate(size));
            bytes += size;
        }

        assertEquals(8, pool.buffersInUse());
        assertEquals(bytes, pool.bytesInUse());
        held.forEach(PooledBuffer::release);
        assertEquals(0, pool.buffersInUse());
        assertEquals(0, pool.bytesInUse());
    }

    @Test
    void shouldAllocateAboveTheLargestClassWithoutPooling() {
        DefaultBufferPool pool = new DefaultBufferPool();
        PooledBuffer big = pool.allocate(100_000);

        assertBuffer(big, 100_000, 100_000);
        big.release();

        assertEquals(1, pool.unpooledAllocations());
        assertEquals(0, pool.cachedBytes());
        assertNotSame(big, pool.allocate(100_000));
    }

    @Test
    void shouldDropReleasedBuffersBeyondTheCacheLimit() {
        DefaultBufferPool pool = new DefaultBufferPool(4096, 0);
        PooledBuffer a = pool.allocate(4096);
        PooledBuffer b = pool.allocate(4096);

        a.release();
        b.release();

        assertEquals(4096, pool.cachedBytes());
        assertEquals(1, pool.droppedBuffers());
        assertSame(a, pool.allocate(4096));
    }

    @Test
    void shouldBoundTheThreadCacheAndOverflowIntoTheSharedList() {
        DefaultBufferPool pool = new DefaultBufferPool(1 << 20, 2 * 4096);
        List<PooledBuffer> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(pool.allocate(4096));
        }

        held.forEach(PooledBuffer::release);

        assertEquals(3 * 4096, pool.cachedBytes(), "two kept by the thread, three shared");
        assertEquals(0, pool.droppedBuffers());
    }

    @Test
    void shouldCarveSlabsRatherThanAllocateEveryBuffer() {
        DefaultBufferPool pool = new DefaultBufferPool();

        for (int i = 0; i < 64; i++) {
            pool.allocate(256);
        }

        assertEquals(64 * 256, pool.slabBytes(), "one slab for 64 small buffers");
        pool.allocate(256);
        assertEquals(2 * 64 * 256, pool.slabBytes());
    }

    @Test
    void shouldRefuseANonPositiveSize() {
        DefaultBufferPool pool = new DefaultBufferPool();

        assertThrows(IllegalArgumentException.class, () -> pool.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> pool.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> new DefaultBufferPool(-1, 0));
    }

    @Test
    void shouldStopCachingButKeepWorkingAfterClose() {
        DefaultBufferPool pool = new DefaultBufferPool(1 << 20, 0);
        PooledBuffer held = pool.allocate(100);
        pool.allocate(100).release();
        assertEquals(256, pool.cachedBytes());

        pool.close();

        assertTrue(pool.isClosed());
        assertEquals(0, pool.cachedBytes());
        held.buffer().put(0, (byte) 1);
        held.release();
        assertEquals(0, pool.cachedBytes());
        PooledBuffer after = pool.allocate(100);
        assertBuffer(after, 100, 100);
        after.release();
        assertEquals(0, pool.buffersInUse());
    }

    @Test
    void shouldNeverHandOutABufferThatIsStillInUseUnderConcurrentCrossThreadReleases() throws Exception {
        DefaultBufferPool pool = new DefaultBufferPool(256 << 10, 16 << 10);
        int producers = 3;
        int consumers = 3;
        int perProducer = 20_000;
        BlockingQueue<PooledBuffer> handOff = new ArrayBlockingQueue<>(1024);
        AtomicLong stamps = new AtomicLong();
        AtomicLong corrupted = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                work.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perProducer; i++) {
                        PooledBuffer b = pool.allocate(16 + random.nextInt(6000));
                        if (b.refCount() != 1) {
                            corrupted.incrementAndGet();
                        }
                        long stamp = stamps.incrementAndGet();
                        b.buffer().putLong(0, stamp);
                        b.buffer().putLong(b.size() - 8, stamp);
                        if (random.nextBoolean()) {
                            verify(b, corrupted);
                            b.release();
                        } else {
                            handOff.put(b);
                        }
                    }
                    return null;
                }));
            }
            CompletableFuture<Void> producersDone = CompletableFuture.allOf(work.stream()
                    .map(f -> CompletableFuture.runAsync(() -> join(f))).toArray(CompletableFuture[]::new));
            List<Future<?>> drains = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                drains.add(threads.submit(() -> {
                    while (!producersDone.isDone() || !handOff.isEmpty()) {
                        PooledBuffer b = handOff.poll(10, TimeUnit.MILLISECONDS);
                        if (b != null) {
                            verify(b, corrupted);
                            b.release();
                        }
                    }
                    return null;
                }));
            }
            producersDone.get(60, TimeUnit.SECONDS);
            for (Future<?> d : drains) {
                d.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(0, corrupted.get(), "a buffer was handed out twice");
        assertEquals(0, pool.buffersInUse());
        assertEquals(0, pool.bytesInUse());
        assertTrue(pool.cachedBytes() <= pool.maxCachedBytes());
    }

    private static void verify(PooledBuffer b, AtomicLong corrupted) {
        if (b.buffer().getLong(0) != b.buffer().getLong(b.size() - 8) || b.refCount() != 1) {
            corrupted.incrementAndGet();
        }
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertBuffer(PooledBuffer b, int size, int capacity) {
        assertEquals(size, b.size());
        assertEquals(0, b.buffer().position());
        assertEquals(size, b.buffer().limit());
        assertEquals(capacity, b.buffer().capacity());
    }

    private static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
