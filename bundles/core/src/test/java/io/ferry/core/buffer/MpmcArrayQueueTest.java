package io.ferry.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class MpmcArrayQueueTest {

    @Test
    void shouldKeepFifoOrderAndRefuseWhenFull() {
        MpmcArrayQueue<Integer> queue = new MpmcArrayQueue<>(4);

        for (int i = 0; i < 4; i++) {
            assertTrue(queue.offer(i));
        }

        assertFalse(queue.offer(4));
        assertEquals(4, queue.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, queue.poll());
        }
        assertNull(queue.poll());
        assertEquals(0, queue.size());
    }

    @Test
    void shouldWrapAroundManyTimes() {
        MpmcArrayQueue<Integer> queue = new MpmcArrayQueue<>(2);

        for (int i = 0; i < 1000; i++) {
            assertTrue(queue.offer(i));
            assertEquals(i, queue.poll());
        }
    }

    @Test
    void shouldRefuseACapacityThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>(3));
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>(1));
    }

    @Test
    void shouldDeliverEveryElementExactlyOnceWithManyProducersAndConsumers() throws Exception {
        int producers = 4;
        int consumers = 4;
        int perProducer = 20_000;
        MpmcArrayQueue<Integer> queue = new MpmcArrayQueue<>(64);
        AtomicIntegerArray seen = new AtomicIntegerArray(producers * perProducer);
        AtomicBoolean producing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<?>> producerWork = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                producerWork.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        while (!queue.offer(base + i)) {
                            Thread.yield();
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> consumerWork = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                consumerWork.add(threads.submit(() -> {
                    start.await();
                    for (;;) {
                        boolean producersDone = !producing.get();
                        Integer e = queue.poll();
                        if (e != null) {
                            seen.incrementAndGet(e);
                        } else if (producersDone) {
                            return null;
                        } else {
                            Thread.yield();
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : producerWork) {
                f.get(60, TimeUnit.SECONDS);
            }
            producing.set(false);
            for (Future<?> f : consumerWork) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "element " + i);
        }
    }
}
