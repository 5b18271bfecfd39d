package io.ferry.netstack.shm.ring;

import static io.ferry.netstack.shm.ring.OneToOneByteRing.RING_CORRUPT;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.PRODUCER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.READ_INDEX_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.WRITE_INDEX_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.BytePattern;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer that writes hostile values into shared memory: every operation must refuse cleanly with
 * {@link OneToOneByteRing#RING_CORRUPT} (never an exception), keep refusing, and never touch a
 * byte outside the ring's region — checked with guard bytes on both sides of it.
 */
class HostileIndexTest {

    private static final int GUARD = 64;
    private static final byte GUARD_BYTE = (byte) 0xA5;
    private static final BytePattern PATTERN = new BytePattern(7);

    private ByteBuffer whole;
    private ByteBuffer region;
    /** What the hostile peer writes through: the same memory, little-endian. */
    private ByteBuffer peer;
    private int capacity;

    @BeforeEach
    void setUp() {
        ring(128);
    }

    private void ring(int cap) {
        capacity = cap;
        int length = StreamRingDescriptor.regionLength(cap);
        whole = TestRegions.aligned(GUARD + length + GUARD);
        for (int i = 0; i < whole.capacity(); i++) {
            whole.put(i, GUARD_BYTE);
        }
        region = whole.slice(GUARD, length);
        OneToOneByteRing.initialize(region, cap);
        peer = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void assertGuardsIntact() {
        for (int i = 0; i < GUARD; i++) {
            assertEquals(GUARD_BYTE, whole.get(i), "guard before the region, byte " + i);
            assertEquals(GUARD_BYTE, whole.get(whole.capacity() - 1 - i), "guard after the region");
        }
    }

    private byte[] dataArea() {
        byte[] data = new byte[capacity];
        region.get(DATA_OFFSET, data);
        return data;
    }

    // ---- a hostile producer: WRITE_INDEX as the consumer reads it ----------------------------

    @ParameterizedTest(name = "write index {0}")
    @ValueSource(longs = {256, 257, 1000, Long.MAX_VALUE, -1, Long.MIN_VALUE, 129 /* 129 readable > 128 */})
    void shouldRefuseAWriteIndexOutOfRangeOrBeyondCapacity(long hostile) {
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        peer.putLong(WRITE_INDEX_OFFSET, hostile);
        assertConsumerRefusesEverything(consumer);
    }

    @Test
    void shouldRefuseAWriteIndexThatMovesBackwards() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        assertEquals(96, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 96))));
        assertEquals(96, consumer.readable());
        assertEquals(10, consumer.read(new byte[10], 0, 10));
        peer.putLong(WRITE_INDEX_OFFSET, 50); // takes back 46 published bytes
        assertConsumerRefusesEverything(consumer);
    }

    @Test
    void shouldStayCorruptAfterTheWriteIndexLooksSaneAgain() {
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        peer.putLong(WRITE_INDEX_OFFSET, 4096);
        assertEquals(RING_CORRUPT, consumer.readable());
        peer.putLong(WRITE_INDEX_OFFSET, 10);
        assertConsumerRefusesEverything(consumer);
    }

    private void assertConsumerRefusesEverything(ByteRingConsumer consumer) {
        byte[] before = dataArea();
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertEquals(RING_CORRUPT, consumer.readable());
        assertEquals(RING_CORRUPT, consumer.read(dst));
        assertEquals(0, dst.position(), "nothing copied");
        assertEquals(RING_CORRUPT, consumer.read(new byte[64], 0, 64));
        assertEquals(RING_CORRUPT, consumer.peek(64));
        assertEquals(RING_CORRUPT, consumer.release(0));
        assertEquals(RING_CORRUPT, consumer.announceWaitingForData());
        peer.putInt(PRODUCER_WAITING_OFFSET, 1);
        assertFalse(consumer.needsProducerWakeup(), "no wake-ups for a corrupt ring");
        assertTrue(consumer.isCorrupt());
        long readIndex = peer.getLong(READ_INDEX_OFFSET);
        assertEquals(consumer.readIndex(), readIndex, "read index not moved");
        assertArrayEquals(before, dataArea());
        assertGuardsIntact();
    }

    // ---- a hostile consumer: READ_INDEX as the producer reads it -----------------------------

    @ParameterizedTest(name = "read index {0}")
    @ValueSource(longs = {256, 300, Long.MAX_VALUE, -1, Long.MIN_VALUE, 20 /* past the 10 published bytes */})
    void shouldRefuseAReadIndexOutOfRangeOrPastTheWriteIndex(long hostile) {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        assertEquals(10, producer.write(PATTERN.bytes(0, 10), 0, 10));
        peer.putLong(READ_INDEX_OFFSET, hostile);
        assertProducerRefusesEverything(producer);
    }

    @Test
    void shouldRefuseAReadIndexThatMovesBackwards() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        assertEquals(96, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 96))));
        assertEquals(50, consumer.read(new byte[50], 0, 50));
        assertEquals(64, producer.writable()); // has seen read index 50
        peer.putLong(READ_INDEX_OFFSET, 10); // would hand back 40 freed bytes
        assertProducerRefusesEverything(producer);
    }

    @Test
    void shouldWriteOnlyIntoRoomAValidatedReadIndexFreedUntilItNeedsMore() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        assertEquals(96, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 96))));
        assertEquals(64, consumer.read(new byte[64], 0, 64));
        assertEquals(96, producer.writable()); // has seen (and checked) read index 64
        peer.putLong(READ_INDEX_OFFSET, 9999); // hostile, but the producer does not need to look yet
        assertEquals(32, producer.write(ByteBuffer.wrap(PATTERN.bytes(96, 32))), "fits the room already checked");
        assertEquals(128L, peer.getLong(WRITE_INDEX_OFFSET));
        // 64 bytes free per the checked index -> 64 more; anything beyond makes it look, and refuse.
        assertEquals(RING_CORRUPT, producer.write(ByteBuffer.wrap(PATTERN.bytes(128, 96))));
        assertEquals(128L, peer.getLong(WRITE_INDEX_OFFSET), "nothing published past the checked room");
        assertProducerRefusesEverything(producer);
    }

    private void assertProducerRefusesEverything(ByteRingProducer producer) {
        byte[] before = dataArea();
        long writeIndex = peer.getLong(WRITE_INDEX_OFFSET);
        ByteBuffer src = ByteBuffer.wrap(PATTERN.bytes(0, 64));
        assertEquals(RING_CORRUPT, producer.writable());
        assertEquals(RING_CORRUPT, producer.write(src));
        assertEquals(0, src.position(), "nothing copied");
        assertEquals(RING_CORRUPT, producer.write(src, 0, 64));
        assertEquals(RING_CORRUPT, producer.write(new byte[64], 0, 64));
        assertEquals(RING_CORRUPT, producer.write(new ByteBuffer[] {src, src}, 0, 2));
        assertEquals(RING_CORRUPT, producer.tryClaim(64));
        assertEquals(RING_CORRUPT, producer.commit(0));
        assertEquals(RING_CORRUPT, producer.announceWaitingForSpace());
        peer.putInt(CONSUMER_WAITING_OFFSET, 1);
        assertFalse(producer.needsConsumerWakeup(), "no wake-ups for a corrupt ring");
        assertTrue(producer.isCorrupt());
        assertEquals(writeIndex, peer.getLong(WRITE_INDEX_OFFSET), "nothing published");
        assertArrayEquals(before, dataArea());
        assertGuardsIntact();
    }

    @Test
    void shouldRefuseAClaimCommittedAfterTheRingTurnedCorrupt() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        assertEquals(64, producer.tryClaim(64));
        peer.putLong(READ_INDEX_OFFSET, 9999);
        assertEquals(RING_CORRUPT, producer.writable());
        assertEquals(RING_CORRUPT, producer.commit(64));
        assertEquals(0L, peer.getLong(WRITE_INDEX_OFFSET));
    }

    // ---- hostile writes elsewhere ------------------------------------------------------------

    @Test
    void shouldIgnoreAPeerOverwritingThisSidesOwnIndex() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        assertEquals(10, producer.write(PATTERN.bytes(0, 10), 0, 10));
        peer.putLong(WRITE_INDEX_OFFSET, 77); // the consumer scribbles on the producer's half
        peer.putLong(READ_INDEX_OFFSET, 0);
        assertEquals(96, producer.writable(), "the producer trusts its own index, not the shared copy");
        assertEquals(5, producer.write(PATTERN.bytes(10, 5), 0, 5));
        assertEquals(15L, peer.getLong(WRITE_INDEX_OFFSET), "republished");
        assertEquals(15, consumer.readable());
    }

    @Test
    void shouldIgnoreAHeaderRewrittenAfterAttach() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        peer.putLong(StreamRingDescriptor.CAPACITY_OFFSET, 1L << 40);
        peer.putInt(StreamRingDescriptor.MAGIC_OFFSET, 0);
        assertEquals(128, producer.writable());
        assertEquals(128, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 500))));
        assertGuardsIntact();
    }

    @Test
    void shouldTolerateHostileFlagsAndCounters() {
        ByteRingProducer producer = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
        peer.putInt(CONSUMER_WAITING_OFFSET, -1); // any non-zero value means waiting
        peer.putLong(DATA_WAKEUPS_TAKEN_OFFSET, 12345); // "drained" more than was ever sent
        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertFalse(producer.needsConsumerWakeup(), "counters disagree: the hostile consumer only loses its own wake-ups");
        peer.putLong(DATA_WAKEUPS_TAKEN_OFFSET, 0);
        assertTrue(producer.needsConsumerWakeup());
        assertFalse(producer.needsConsumerWakeup(), "at most one pending write per doorbell");

        peer.putInt(PRODUCER_WAITING_OFFSET, 7);
        peer.putLong(SPACE_WAKEUPS_TAKEN_OFFSET, Long.MIN_VALUE);
        assertEquals(8, consumer.read(new byte[8], 0, 8));
        assertFalse(consumer.needsProducerWakeup());
        assertGuardsIntact();
    }

    /** Random hostile index values between random operations, on both ends. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {64, 100, 1000})
    void shouldNeverThrowOrTouchMemoryOutsideTheRegionWhateverThePeerWrites(int cap) {
        ring(cap);
        SplittableRandom random = new SplittableRandom(cap);
        ByteBuffer scratch = ByteBuffer.allocate(2 * cap);
        for (int round = 0; round < 200; round++) {
            OneToOneByteRing.initialize(region, cap);
            ByteRingProducer producer = OneToOneByteRing.producer(region);
            ByteRingConsumer consumer = OneToOneByteRing.consumer(region);
            boolean producerCorrupt = false;
            boolean consumerCorrupt = false;
            for (int op = 0; op < 100; op++) {
                if (random.nextInt(10) == 0) {
                    long value = switch (random.nextInt(4)) {
                        case 0 -> random.nextLong();
                        case 1 -> random.nextLong(2L * cap + 2) - 1;
                        case 2 -> (long) random.nextInt(3 * cap);
                        default -> 2L * cap;
                    };
                    peer.putLong(random.nextBoolean() ? WRITE_INDEX_OFFSET : READ_INDEX_OFFSET, value);
                }
                int len = random.nextInt(2 * cap);
                int p = random.nextBoolean()
                        ? producer.write(scratch.clear().limit(len))
                        : claimAndCommit(producer, len, random);
                int c = random.nextBoolean()
                        ? consumer.read(scratch.clear().limit(len))
                        : peekAndRelease(consumer, len, random);
                assertTrue(p >= 0 || p == RING_CORRUPT);
                assertTrue(c >= 0 || c == RING_CORRUPT);
                if (producerCorrupt) {
                    assertEquals(RING_CORRUPT, p, "producer corruption is sticky");
                }
                if (consumerCorrupt) {
                    assertEquals(RING_CORRUPT, c, "consumer corruption is sticky");
                }
                producerCorrupt |= p == RING_CORRUPT;
                consumerCorrupt |= c == RING_CORRUPT;
                assertTrue(consumer.readable() <= cap);
                assertTrue(producer.writable() <= cap);
            }
            assertGuardsIntact();
        }
    }

    private static int claimAndCommit(ByteRingProducer producer, int len, SplittableRandom random) {
        int n = producer.tryClaim(len);
        if (n <= 0) {
            return n;
        }
        int index = producer.claimIndex();
        for (int i = 0; i < n; i++) {
            producer.buffer().put(index + i, (byte) i);
        }
        return producer.commit(random.nextInt(n + 1));
    }

    private static int peekAndRelease(ByteRingConsumer consumer, int len, SplittableRandom random) {
        int n = consumer.peek(len);
        if (n <= 0) {
            return n;
        }
        int index = consumer.peekIndex();
        for (int i = 0; i < n; i++) {
            consumer.buffer().get(index + i);
        }
        return consumer.release(random.nextInt(n + 1));
    }
}
