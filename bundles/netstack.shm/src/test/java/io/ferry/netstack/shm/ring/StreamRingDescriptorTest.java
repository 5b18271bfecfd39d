package io.ferry.netstack.shm.ring;

import static io.ferry.netstack.shm.ring.StreamRingDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class StreamRingDescriptorTest {

    @Test
    void shouldKeepTheDocumentedOffsets() {
        // The layout is a protocol (a C client reads it): these numbers may never drift.
        assertEquals(0, MAGIC_OFFSET);
        assertEquals(4, VERSION_OFFSET);
        assertEquals(6, DATA_OFFSET_OFFSET);
        assertEquals(8, CAPACITY_OFFSET);
        assertEquals(128, WRITE_INDEX_OFFSET);
        assertEquals(136, DATA_WAKEUPS_SENT_OFFSET);
        assertEquals(144, SPACE_WAKEUPS_TAKEN_OFFSET);
        assertEquals(152, PRODUCER_WAITING_OFFSET);
        assertEquals(256, READ_INDEX_OFFSET);
        assertEquals(264, DATA_WAKEUPS_TAKEN_OFFSET);
        assertEquals(272, SPACE_WAKEUPS_SENT_OFFSET);
        assertEquals(280, CONSUMER_WAITING_OFFSET);
        assertEquals(384, DATA_OFFSET);
    }

    @Test
    void shouldPutEachHalfOnItsOwnPairOfCacheLines() {
        assertEquals(0, PRODUCER_HALF_OFFSET % CACHE_LINE_LENGTH);
        assertEquals(0, CONSUMER_HALF_OFFSET % CACHE_LINE_LENGTH);
        assertEquals(2 * CACHE_LINE_LENGTH, CONSUMER_HALF_OFFSET - PRODUCER_HALF_OFFSET);
        assertEquals(0, DATA_OFFSET % CACHE_LINE_LENGTH);
        for (int producerField : new int[] {WRITE_INDEX_OFFSET, DATA_WAKEUPS_SENT_OFFSET, SPACE_WAKEUPS_TAKEN_OFFSET, PRODUCER_WAITING_OFFSET}) {
            assertTrue(producerField >= PRODUCER_HALF_OFFSET && producerField + 8 <= CONSUMER_HALF_OFFSET);
        }
        for (int consumerField : new int[] {READ_INDEX_OFFSET, DATA_WAKEUPS_TAKEN_OFFSET, SPACE_WAKEUPS_SENT_OFFSET, CONSUMER_WAITING_OFFSET}) {
            assertTrue(consumerField >= CONSUMER_HALF_OFFSET && consumerField + 8 <= DATA_OFFSET);
        }
    }

    @Test
    void shouldWriteALittleEndianHeader() {
        ByteBuffer region = TestRegions.ring(100_000);
        assertEquals('F', region.get(0));
        assertEquals('R', region.get(1));
        assertEquals('N', region.get(2));
        assertEquals('G', region.get(3));
        ByteBuffer le = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, le.getShort(VERSION_OFFSET));
        assertEquals(384, le.getShort(DATA_OFFSET_OFFSET));
        assertEquals(100_000L, le.getLong(CAPACITY_OFFSET));
        for (int i = 16; i < DATA_OFFSET; i++) {
            assertEquals(0, region.get(i), "byte " + i);
        }
        assertEquals(100_000, readCapacity(region));
    }

    @Test
    void shouldRoundRegionLengthUpToWholeCacheLines() {
        assertEquals(448, regionLength(64));
        assertEquals(512, regionLength(65));
        assertEquals(384 + 131_072, regionLength(DEFAULT_CAPACITY));
        assertThrows(IllegalArgumentException.class, () -> regionLength(63));
        assertThrows(IllegalArgumentException.class, () -> regionLength(MAX_CAPACITY + 1));
    }

    @Test
    void shouldRefuseRegionsThatCannotHoldTheRing() {
        assertThrows(IllegalArgumentException.class, () -> initialize(ByteBuffer.allocate(1024), 64), "heap");
        assertThrows(IllegalArgumentException.class, () -> initialize(TestRegions.aligned(447), 64), "short");
        ByteBuffer misaligned = TestRegions.aligned(1024).position(8).slice();
        assertThrows(IllegalArgumentException.class, () -> initialize(misaligned, 64), "misaligned");
        assertThrows(IllegalArgumentException.class, () -> initialize(TestRegions.aligned(1024).asReadOnlyBuffer(), 64), "read-only");
    }

    @Test
    void shouldRefuseToAttachToABadHeader() {
        assertAttachRefused(region -> region.putInt(MAGIC_OFFSET, 0x12345678), "magic");
        assertAttachRefused(region -> region.putShort(VERSION_OFFSET, (short) 2), "version");
        assertAttachRefused(region -> region.putShort(DATA_OFFSET_OFFSET, (short) 128), "data offset");
        assertAttachRefused(region -> region.putLong(CAPACITY_OFFSET, 63), "capacity too small");
        assertAttachRefused(region -> region.putLong(CAPACITY_OFFSET, 1000), "capacity beyond the region");
        assertAttachRefused(region -> region.putLong(CAPACITY_OFFSET, -1), "capacity negative");
        assertAttachRefused(region -> region.putLong(WRITE_INDEX_OFFSET, 256), "write index out of range");
        assertAttachRefused(region -> region.putLong(READ_INDEX_OFFSET, -1), "read index out of range");
        assertAttachRefused(region -> region.putLong(WRITE_INDEX_OFFSET, 65), "more readable than capacity");
    }

    private static void assertAttachRefused(java.util.function.Consumer<ByteBuffer> damage, String what) {
        ByteBuffer region = TestRegions.ring(64);
        damage.accept(region.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> OneToOneByteRing.producer(region), what);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> OneToOneByteRing.consumer(region), what);
        assertTrue(!p.getMessage().isEmpty() && !c.getMessage().isEmpty());
    }
}
