package io.ferry.netstack.shm.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Every ring operation, run a million times after warm-up, allocates nothing. */
class HotPathAllocationTest {

    @Test
    void shouldNotAllocateOnAnyRingOperation() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        ByteBuffer region = TestRegions.ring(1000);
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        ByteBuffer src = ByteBuffer.allocateDirect(300);
        ByteBuffer dst = ByteBuffer.allocate(300);
        byte[] array = new byte[300];
        ByteBuffer[] segments = {ByteBuffer.allocate(100), ByteBuffer.allocateDirect(100)};

        cycle(producer, consumer, src, dst, array, segments, 200_000); // warm up, let the JIT settle
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        cycle(producer, consumer, src, dst, array, segments, 1_000_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // The counter's own bookkeeping may show a few bytes; a per-operation allocation would
        // show megabytes.
        assertEquals(0, allocated / 100_000, "bytes allocated over a million operations: " + allocated);
    }

    private static long cycle(ByteRingProducer producer, ByteRingConsumer consumer, ByteBuffer src, ByteBuffer dst,
                              byte[] array, ByteBuffer[] segments, int rounds) {
        long sum = 0;
        for (int i = 0; i < rounds; i++) {
            src.clear().limit(1 + (i % 300));
            sum += producer.write(src);
            sum += consumer.read(dst.clear());
            sum += producer.write(array, 0, 1 + (i % 299));
            sum += consumer.read(array, 0, 300);
            segments[0].clear();
            segments[1].clear();
            sum += producer.write(segments, 0, 2);
            int n = consumer.peek(150);
            sum += consumer.release(n);
            sum += consumer.read(dst.clear());
            n = producer.tryClaim(77);
            sum += producer.commit(n);
            sum += consumer.read(dst.clear());
            sum += consumer.announceWaitingForData();
            consumer.markAwake();
            sum += producer.needsConsumerWakeup() ? 1 : 0;
            sum += consumer.needsProducerWakeup() ? 1 : 0;
        }
        return sum;
    }
}
