package io.ferry.core.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for {@link BufferList} used as its javadoc says: the segment views passed to a
 * gathering write, then {@link BufferList#consume(long)} with the bytes written. A gathering write
 * moves the views' positions; the list used to take those moved positions as its own and dropped
 * the written bytes twice (and failed with a NullPointerException past the last segment).
 */
class BufferListGatheringWriteTest {

    @Test
    void shouldConsumeExactlyWhatAGatheringWriteTookFromTheViews() throws Exception {
        BufferList list = new BufferList().append(utf8("0123456789")).append(utf8("abcdefghij"));
        ByteBuffer[] views = new ByteBuffer[8];
        int count = list.nioBuffers(views);

        long written = new LimitedSink(15).write(views, 0, count);
        list.consume(written);

        assertEquals(5, list.length());
        assertArrayEquals(bytes("fghij"), list.toByteArray());
    }

    @Test
    void shouldHandTheViewsOutFromTheListsPositionsAfterAPartialWrite() throws Exception {
        BufferList list = new BufferList().append(utf8("0123456789")).append(utf8("abcdefghij"));
        ByteBuffer[] views = new ByteBuffer[8];

        LimitedSink sink = new LimitedSink(4);
        list.consume(sink.write(views, 0, list.nioBuffers(views)));
        int count = list.nioBuffers(views);

        assertEquals(2, count);
        assertEquals(6, views[0].remaining());
        assertEquals('4', views[0].get(views[0].position()));
        assertEquals(16, list.length());
    }

    @Test
    void shouldSpliceAndCopyFromTheListsPositionsAfterAGatheringWrite() throws Exception {
        BufferList list = new BufferList().append(utf8("0123456789")).append(utf8("abcdefghij"));
        ByteBuffer[] views = new ByteBuffer[8];
        list.consume(new LimitedSink(3).write(views, 0, list.nioBuffers(views)));

        BufferList front = list.splice(9);

        assertArrayEquals(bytes("3456789ab"), front.toByteArray());
        assertArrayEquals(bytes("cdefghij"), list.toByteArray());
        assertEquals('c', list.get(0));
    }

    @Test
    void shouldIgnoreAViewMovedByAReaderWhenNothingWasConsumed() {
        BufferList list = new BufferList().append(utf8("0123456789"));
        list.segment(0).get(new byte[4]);

        assertEquals(10, list.length());
        assertArrayEquals(bytes("0123456789"), list.toByteArray());
        assertEquals(10, list.segment(0).remaining());
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(bytes(s));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A gathering channel that takes at most {@code budget} bytes in total, like a full socket. */
    private static final class LimitedSink implements GatheringByteChannel {
        private long budget;

        LimitedSink(long budget) {
            this.budget = budget;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long taken = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                int n = (int) Math.min(budget, srcs[i].remaining());
                srcs[i].position(srcs[i].position() + n);
                budget -= n;
                taken += n;
            }
            return taken;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
