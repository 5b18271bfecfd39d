package io.ferry.netstack.shm.ring;

import static io.ferry.netstack.shm.ring.StreamRingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_SENT_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.DATA_WAKEUPS_TAKEN_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.PRODUCER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_SENT_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.SPACE_WAKEUPS_TAKEN_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The doorbell decisions, step by step on one thread: the eventfd is written only when the peer
 * announced it is waiting and nothing is pending, and the counters mirror what the eventfd holds.
 */
class WakeupHandshakeTest {

    private ByteBuffer region;
    private ByteBuffer shared;
    private ByteRingProducer producer;
    private ByteRingConsumer consumer;

    @BeforeEach
    void setUp() {
        region = TestRegions.ring(128);
        shared = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        producer = OneToOneByteRing.producer(region);
        consumer = OneToOneByteRing.consumer(region);
    }

    @Test
    void shouldSkipTheEventfdWhileTheConsumerIsBusy() {
        for (int i = 0; i < 3; i++) {
            assertEquals(8, producer.write(new byte[8], 0, 8));
            assertFalse(producer.needsConsumerWakeup());
        }
        assertEquals(0, producer.wakeupsSent());
        assertEquals(3, producer.wakeupsSkipped());
    }

    @Test
    void shouldRingOnceForAnIdleConsumerAndNotAgainUntilItDrains() {
        assertEquals(0, consumer.announceWaitingForData(), "empty: may sleep");
        assertEquals(1, shared.getInt(CONSUMER_WAITING_OFFSET));

        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertTrue(producer.needsConsumerWakeup(), "idle and nothing pending");
        assertEquals(1, shared.getLong(DATA_WAKEUPS_SENT_OFFSET));
        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertFalse(producer.needsConsumerWakeup(), "one write is already pending in the eventfd");

        // The consumer wakes: flag down first, then drain, then account.
        consumer.markAwake();
        consumer.dataDoorbellDrained(1);
        assertEquals(1, shared.getLong(DATA_WAKEUPS_TAKEN_OFFSET));
        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertFalse(producer.needsConsumerWakeup(), "awake again: busy");

        assertEquals(24, consumer.read(new byte[24], 0, 24));
        assertEquals(0, consumer.announceWaitingForData());
        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertTrue(producer.needsConsumerWakeup(), "idle again with nothing pending: ring again");
        assertEquals(2, producer.wakeupsSent());
        assertEquals(2, producer.wakeupsSkipped());
    }

    @Test
    void shouldWithdrawTheAnnouncementWhenDataIsAlreadyThere() {
        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertEquals(8, consumer.announceWaitingForData(), "re-check after the fence finds data");
        assertEquals(0, shared.getInt(CONSUMER_WAITING_OFFSET), "flag withdrawn");
        assertFalse(producer.needsConsumerWakeup());
    }

    @Test
    void shouldRingAgainAfterAFailedEventfdWrite() {
        assertEquals(0, consumer.announceWaitingForData());
        assertEquals(8, producer.write(new byte[8], 0, 8));
        assertTrue(producer.needsConsumerWakeup());
        producer.consumerWakeupFailed(); // eventfd_write returned -1
        assertEquals(0, shared.getLong(DATA_WAKEUPS_SENT_OFFSET));
        assertEquals(0, producer.wakeupsSent());
        assertTrue(producer.needsConsumerWakeup(), "the next decision tries again");
    }

    @Test
    void shouldWakeABlockedProducerOnlyOnceThereIsRoomForIt() {
        assertEquals(128, producer.write(new byte[128], 0, 128));
        assertEquals(0, producer.announceWaitingForSpace(), "full: may block");
        assertEquals(1, shared.getInt(PRODUCER_WAITING_OFFSET));

        assertEquals(10, consumer.read(new byte[10], 0, 10));
        assertFalse(consumer.needsProducerWakeup(), "10 free bytes: the producer would see 0 writable");
        assertEquals(30, consumer.read(new byte[30], 0, 30));
        assertTrue(consumer.needsProducerWakeup(), "40 free: 32 writable");
        assertEquals(1, shared.getLong(SPACE_WAKEUPS_SENT_OFFSET));
        assertEquals(8, consumer.read(new byte[8], 0, 8));
        assertFalse(consumer.needsProducerWakeup(), "already rung, not drained yet");

        producer.markAwake();
        producer.spaceDoorbellDrained(1);
        assertEquals(1, shared.getLong(SPACE_WAKEUPS_TAKEN_OFFSET));
        assertEquals(32, producer.writable());
        assertEquals(1, consumer.wakeupsSent());
        assertEquals(2, consumer.wakeupsSkipped());
    }

    @Test
    void shouldWithdrawTheProducersAnnouncementWhenSpaceIsAlreadyThere() {
        assertEquals(128, producer.write(new byte[128], 0, 128));
        assertEquals(64, consumer.read(new byte[64], 0, 64));
        assertEquals(64, producer.announceWaitingForSpace());
        assertEquals(0, shared.getInt(PRODUCER_WAITING_OFFSET));
        assertFalse(consumer.needsProducerWakeup());
    }

    @Test
    void shouldIgnoreEmptyDrains() {
        consumer.dataDoorbellDrained(0);
        consumer.dataDoorbellDrained(-1); // read(2) failed with EAGAIN
        producer.spaceDoorbellDrained(0);
        assertEquals(0, shared.getLong(DATA_WAKEUPS_TAKEN_OFFSET));
        assertEquals(0, shared.getLong(SPACE_WAKEUPS_TAKEN_OFFSET));
    }
}
