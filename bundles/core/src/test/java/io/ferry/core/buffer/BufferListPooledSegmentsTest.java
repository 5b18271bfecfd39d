package io.ferry.core.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.buffer.PooledBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link BufferList} holding segments of pooled buffers: every reference it takes is given back. */
class BufferListPooledSegmentsTest {
    private final DefaultBufferPool pool = new DefaultBufferPool();

    @Test
    void shouldHoldOneReferencePerSegmentAndReleaseItOnConsume() {
        PooledBuffer a = filled("hello ");
        PooledBuffer b = filled("world");
        BufferList list = new BufferList().append(a).append(b);
        a.release();
        b.release();
        assertEquals(1, a.refCount());

        list.consume(3);
        assertEquals(1, a.refCount(), "a partly consumed segment keeps its reference");
        list.consume(3);

        assertEquals(0, a.refCount());
        assertEquals(1, b.refCount());
        assertArrayEquals(bytes("world"), list.toByteArray());
        list.consume(5);
        assertEquals(0, pool.buffersInUse());
        assertEquals(0, pool.bytesInUse());
    }

    @Test
    void shouldReleaseEverySegmentOnClear() {
        BufferList list = new BufferList();
        for (int i = 0; i < 10; i++) {
            PooledBuffer b = filled("segment " + i);
            list.append(b);
            b.release();
        }
        assertEquals(10, pool.buffersInUse());

        list.clear();

        assertEquals(0, list.length());
        assertEquals(0, pool.buffersInUse());
    }

    @Test
    void shouldShareASplitSegmentBetweenBothListsOnSplice() {
        PooledBuffer a = filled("abcdef");
        PooledBuffer b = filled("ghij");
        BufferList list = new BufferList().append(a).append(b);
        a.release();
        b.release();

        BufferList front = list.splice(8);

        assertArrayEquals(bytes("abcdefgh"), front.toByteArray());
        assertArrayEquals(bytes("ij"), list.toByteArray());
        assertEquals(1, a.refCount(), "moved whole, not retained");
        assertEquals(2, b.refCount(), "split: one reference per list");
        front.clear();
        assertEquals(0, a.refCount());
        assertEquals(1, b.refCount());
        list.clear();
        assertEquals(0, pool.buffersInUse());
    }

    @Test
    void shouldMoveReferencesWhenAppendingAList() {
        PooledBuffer a = filled("abc");
        BufferList source = new BufferList().append(a);
        a.release();

        BufferList target = new BufferList().append(source);

        assertEquals(0, source.length());
        assertEquals(1, a.refCount());
        source.clear();
        assertEquals(1, a.refCount(), "the emptied list holds nothing");
        target.consume(3);
        assertEquals(0, pool.buffersInUse());
    }

    @Test
    void shouldGrowPastItsInitialSegmentsAndStillReleaseEachOnce() {
        BufferList list = new BufferList();
        for (int i = 0; i < 100; i++) {
            PooledBuffer b = filled(String.format("%03d", i));
            list.append(b);
            b.release();
            if (i % 3 == 2) {
                list.consume(3);
            }
        }
        assertEquals(67 * 3, list.length());
        assertEquals(67, pool.buffersInUse());
        BufferList front = list.splice(3);
        assertEquals("033", new String(front.toByteArray(), StandardCharsets.US_ASCII));
        assertEquals(67, pool.buffersInUse(), "the front list holds the moved segment");
        front.clear();
        assertEquals(66, pool.buffersInUse());

        list.clear();

        assertEquals(0, pool.buffersInUse());
    }

    @Test
    void shouldRefuseToConsumeMoreThanItHolds() {
        PooledBuffer a = filled("abc");
        BufferList list = new BufferList().append(a);
        a.release();

        assertThrows(IllegalArgumentException.class, () -> list.consume(4));
        assertEquals(1, a.refCount());
    }

    private PooledBuffer filled(String text) {
        byte[] data = bytes(text);
        PooledBuffer b = pool.allocate(data.length);
        b.buffer().put(data).flip();
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
