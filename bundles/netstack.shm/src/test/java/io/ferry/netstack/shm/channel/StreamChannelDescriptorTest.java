package io.ferry.netstack.shm.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Pins the channel layout (a C client depends on it) and the header checks at attach. */
class StreamChannelDescriptorTest {

    @Test
    void shouldPinOffsetsAndSizes() {
        assertEquals(192, StreamChannelDescriptor.HEADER_LENGTH);
        assertEquals(64, StreamChannelDescriptor.SIDE_A_STATE_OFFSET);
        assertEquals(128, StreamChannelDescriptor.SIDE_B_STATE_OFFSET);
        int cap = StreamRingDescriptor.DEFAULT_CAPACITY;
        int ring = StreamRingDescriptor.regionLength(cap);
        assertEquals(192 + 2 * ring, StreamChannelDescriptor.sizeFor(cap));
        assertEquals(192, StreamChannelDescriptor.ringOffset(cap, StreamChannelDescriptor.SIDE_A));
        assertEquals(192 + ring, StreamChannelDescriptor.ringOffset(cap, StreamChannelDescriptor.SIDE_B));
        assertEquals(0, StreamChannelDescriptor.sizeFor(100) % 64);
        assertEquals(0, StreamChannelDescriptor.ringOffset(100, StreamChannelDescriptor.SIDE_B) % 64);
    }

    @Test
    void shouldWriteTheHeaderInLittleEndian() {
        ByteBuffer region = aligned(StreamChannelDescriptor.sizeFor(100));
        StreamChannelDescriptor.initialize(region, 100);
        ByteBuffer le = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('F', le.get(0));
        assertEquals('C', le.get(1));
        assertEquals('H', le.get(2));
        assertEquals('N', le.get(3));
        assertEquals(1, le.getShort(4));
        assertEquals(192, le.getShort(6));
        assertEquals(100, le.getInt(8));
        assertEquals(192, le.getLong(16));
        assertEquals(192 + StreamRingDescriptor.regionLength(100), le.getLong(24));
        assertEquals(100, StreamChannelDescriptor.readRingCapacity(region));
        // Both rings are formatted.
        assertEquals(StreamRingDescriptor.MAGIC, le.getInt(192));
        assertEquals(StreamRingDescriptor.MAGIC, le.getInt(192 + StreamRingDescriptor.regionLength(100)));
    }

    @Test
    void shouldRefuseCorruptHeaders() {
        int size = StreamChannelDescriptor.sizeFor(100);
        ByteBuffer region = aligned(size);
        StreamChannelDescriptor.initialize(region, 100);
        ByteBuffer le = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);

        le.putInt(0, 0x12345678);
        assertMessage(region, "magic");
        le.putInt(0, StreamChannelDescriptor.MAGIC);
        le.putShort(4, (short) 2);
        assertMessage(region, "version");
        le.putShort(4, (short) 1);
        le.putInt(8, 1 << 20);
        assertMessage(region, "needs");
        le.putInt(8, 100);
        le.putLong(24, 0);
        assertMessage(region, "offsets");
        assertThrows(IllegalArgumentException.class, () -> StreamChannelDescriptor.readRingCapacity(ByteBuffer.allocate(size)));
        assertThrows(IllegalArgumentException.class, () -> StreamChannelDescriptor.initialize(aligned(size - 64), 100));
        assertThrows(IllegalArgumentException.class, () -> StreamChannelDescriptor.sideStateOffset(2));
    }

    private static void assertMessage(ByteBuffer region, String word) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamChannelDescriptor.readRingCapacity(region));
        assertTrue(e.getMessage().contains(word), e.getMessage());
    }

    private static ByteBuffer aligned(int length) {
        return ByteBuffer.allocateDirect(length + 64).alignedSlice(64).limit(length).slice();
    }
}
