package io.ferry.netstack.shm.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.netstack.shm.ring.StressSupport.Api;
import io.ferry.netstack.shm.ring.StressSupport.LocalEnd;
import io.ferry.netstack.shm.ring.StressSupport.WaitMode;
import io.ferry.testkit.BytePattern;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A producer thread and a consumer thread on one ring, for {@code ferry.ring.stress.millis} each
 * (default 2 s): every byte must arrive in order, through many wraps, with pseudo-random write and
 * read lengths (from 1 byte to twice the ring). The doorbell runs also prove that the
 * announce-idle handshake loses no wake-up: a lost one leaves a side asleep until the stall
 * timeout, which fails the test.
 */
class TwoThreadStressTest {

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(Api.COPY, WaitMode.SPIN, 4099),
                Arguments.of(Api.ZERO_COPY, WaitMode.SPIN, 4099),
                Arguments.of(Api.COPY, WaitMode.DOORBELL, 1000),
                Arguments.of(Api.ZERO_COPY, WaitMode.DOORBELL, StreamRingDescriptor.DEFAULT_CAPACITY));
    }

    @ParameterizedTest(name = "{0} / {1} / capacity {2}")
    @MethodSource("runs")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryByteInOrderBetweenTwoThreads(Api api, WaitMode waitMode, int capacity) throws Exception {
        ByteBuffer region = TestRegions.ring(capacity);
        long seed = System.nanoTime();
        BytePattern pattern = new BytePattern(seed);
        SimulatedEventfd consumerDoorbell = new SimulatedEventfd();
        SimulatedEventfd producerDoorbell = new SimulatedEventfd();
        LocalEnd end = new LocalEnd();
        ByteRingProducer producerView = OneToOneByteRing.producer(region);
        ByteRingConsumer consumerView = OneToOneByteRing.consumer(region);
        StressSupport.Producer producer = new StressSupport.Producer(producerView, pattern, seed + 1, api, waitMode,
                consumerDoorbell, producerDoorbell, end);
        StressSupport.Consumer consumer = new StressSupport.Consumer(consumerView, pattern, seed + 2, api, waitMode,
                producerDoorbell, consumerDoorbell, end);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        long durationNanos = TimeUnit.MILLISECONDS.toNanos(StressSupport.stressMillis());
        Thread producerThread = new Thread(() -> {
            try {
                producer.run(durationNanos);
            } catch (Throwable t) {
                end.abort();
                failure.compareAndSet(null, t);
            }
        }, "ring-stress-producer");
        Thread consumerThread = new Thread(() -> {
            try {
                consumer.run();
            } catch (Throwable t) {
                end.abort();
                failure.compareAndSet(null, t);
            }
        }, "ring-stress-consumer");
        long start = System.nanoTime();
        producerThread.start();
        consumerThread.start();
        producerThread.join(TimeUnit.SECONDS.toMillis(60));
        consumerThread.join(TimeUnit.SECONDS.toMillis(30));
        long elapsed = System.nanoTime() - start;
        end.abort();
        producerThread.join(1000);
        consumerThread.join(1000);
        if (failure.get() != null) {
            throw new AssertionError("seed " + seed + ": " + failure.get().getMessage(), failure.get());
        }
        assertFalse(producerThread.isAlive() || consumerThread.isAlive(), "stress threads did not finish");

        assertTrue(end.finished(), "producer did not finish");
        assertEquals(end.total(), consumer.consumed, "bytes consumed");
        assertTrue(producer.produced > 10L * capacity, "too few wraps: " + producer.produced + " bytes");
        assertEquals(0, consumerView.readable());
        System.out.printf("%s/%s capacity %d: %,d bytes (%,d wraps) in %d ms, %.0f MB/s; "
                        + "consumer wake-ups sent %,d skipped %,d (eventfd writes %,d), consumer sleeps %,d; "
                        + "producer wake-ups sent %,d skipped %,d (eventfd writes %,d), producer sleeps %,d%n",
                api, waitMode, capacity, producer.produced, producer.produced / capacity,
                TimeUnit.NANOSECONDS.toMillis(elapsed), producer.produced / 1e6 / (elapsed / 1e9),
                producerView.wakeupsSent(), producerView.wakeupsSkipped(), consumerDoorbell.writes(), consumer.sleeps,
                consumerView.wakeupsSent(), consumerView.wakeupsSkipped(), producerDoorbell.writes(), producer.sleeps);
        if (waitMode == WaitMode.DOORBELL) {
            // Every eventfd write was decided by the ring; a busy peer cost no write at all.
            assertEquals(producerView.wakeupsSent(), consumerDoorbell.writes());
            assertEquals(consumerView.wakeupsSent(), producerDoorbell.writes());
            assertTrue(producerView.wakeupsSkipped() > producerView.wakeupsSent(),
                    "most commits should find the consumer busy or already rung");
        }
    }
}
