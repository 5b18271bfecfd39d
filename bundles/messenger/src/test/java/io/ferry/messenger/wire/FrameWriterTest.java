package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The connection writer's staging chunk: small frames and sections become one segment, large
 * sections are referenced, bytes stay in order around them, the chunk is reused only once every
 * view of it was consumed, and what it produces is byte for byte what the one-frame encoder
 * produces (which the reader tests and tshark check).
 */
class FrameWriterTest {
    private static final EntityName ME = EntityName.osd(3);

    private static Message message(int seq, int frontBytes, int dataBytes, boolean directData) {
        byte[] front = new byte[frontBytes];
        byte[] data = new byte[dataBytes];
        new Random(seq).nextBytes(front);
        new Random(-seq).nextBytes(data);
        ByteBuffer d = directData ? ByteBuffer.allocateDirect(dataBytes).put(data).flip() : ByteBuffer.wrap(data);
        return new Message(0x30, BufferList.wrap(front), new BufferList(), new BufferList().append(d)).tid(seq);
    }

    /** @return a writer on {@code out} that staged and published one small message, seq 1 */
    private static FrameWriter writerWithOneFrame(BufferList out) {
        FrameWriter writer = new FrameWriter(out);
        writer.message(message(1, 64, 0, false), 1, ME, true, true);
        writer.publish();
        return writer;
    }

    private static byte[] oneFrameEncoding(Message m, long seq) {
        BufferList expected = new BufferList();
        FrameWriter.writeMessage(expected, m, seq, ME, true);
        return expected.toByteArray();
    }

    @Test
    void smallFramesShouldBecomeOneSegmentEqualToTheOneFrameEncoding() {
        BufferList out = new BufferList();
        FrameWriter writer = new FrameWriter(out);
        BufferList expected = new BufferList();
        for (int seq = 1; seq <= 20; seq++) {
            Message m = message(seq, 64, 200, seq % 2 == 0);
            writer.message(m, seq, ME, true, true);
            FrameWriter.writeMessage(expected, m, seq, ME, true);
        }
        writer.ack(20);
        FrameWriter.writeAck(expected, 20);
        writer.keepalive2(true, 7, 8);
        FrameWriter.writeKeepalive2(expected, true, 7, 8);
        writer.tag(Msgr.TAG_KEEPALIVE);
        FrameWriter.writeTag(expected, Msgr.TAG_KEEPALIVE);
        assertEquals(0, out.segmentCount(), "nothing reaches the list before publish");
        assertEquals(expected.length(), writer.pendingBytes());
        writer.publish();
        assertEquals(1, out.segmentCount(), "all small frames staged back to back");
        assertTrue(out.segment(0).isDirect(), "staged in native memory: the socket sends it by address");
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
        assertEquals(0, writer.pendingBytes());
    }

    @Test
    void largeSectionsShouldBeReferencedBetweenStagedBytesInOrder() {
        BufferList out = new BufferList();
        FrameWriter writer = new FrameWriter(out);
        Message small = message(1, 64, 0, false);
        Message large = message(2, 64, 4096, true);
        writer.message(small, 1, ME, true, true);
        writer.message(large, 2, ME, true, true);
        writer.ack(2);
        writer.publish();
        // [small frame + large's tag, header and front] [large's data, by reference] [footer + ack]
        assertEquals(3, out.segmentCount());
        assertEquals(4096, out.segment(1).remaining());
        BufferList expected = new BufferList();
        FrameWriter.writeMessage(expected, small, 1, ME, true);
        FrameWriter.writeMessage(expected, large, 2, ME, true);
        FrameWriter.writeAck(expected, 2);
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
        ByteBuffer data = large.data().segment(0);
        int at = data.position();
        byte before = out.segment(1).get(out.segment(1).position());
        data.put(at, (byte) ~data.get(at));
        assertEquals((byte) ~before, out.segment(1).get(out.segment(1).position()), "the data section's own memory, not a copy");
    }

    @Test
    void theChunkShouldBeReusedOnlyOnceEveryViewWasConsumed() {
        BufferList out = new BufferList();
        FrameWriter writer = writerWithOneFrame(out);
        ByteBuffer first = out.segment(0);
        byte[] firstBytes = out.toByteArray();

        // the list still holds the first frame: the next one goes behind it, never over it
        Message second = message(2, 64, 0, false);
        writer.message(second, 2, ME, true, true);
        writer.publish();
        assertEquals(2, out.segmentCount());
        assertArrayEquals(firstBytes, copy(out.segment(0)), "unsent bytes untouched");

        // everything written: the next frame starts over at the chunk's beginning
        out.consume(out.length());
        writer.message(message(3, 64, 0, false), 3, ME, true, true);
        writer.publish();
        byte[] third = oneFrameEncoding(message(3, 64, 0, false), 3);
        assertArrayEquals(third, out.toByteArray());
        assertArrayEquals(third, copy(first), "written over the first frame's memory: the chunk was rewound");
    }

    @Test
    void aFullChunkStillReferencedShouldBeLeftForANewOne() {
        BufferList out = new BufferList();
        FrameWriter writer = new FrameWriter(out);
        List<byte[]> frames = new ArrayList<>();
        int seq = 0;
        // more than a chunk of frames that are never written out
        while (out.length() + writer.pendingBytes() < 3L * FrameWriter.CHUNK_SIZE) {
            seq++;
            Message m = message(seq, 1000, 0, false);
            frames.add(oneFrameEncoding(m, seq));
            writer.message(m, seq, ME, true, true);
        }
        writer.publish();
        assertTrue(out.segmentCount() >= 3, "one segment per chunk: " + out.segmentCount());
        ByteBuffer whole = ByteBuffer.allocate((int) out.length());
        out.copyTo(0, whole);
        whole.flip();
        for (byte[] frame : frames) {
            byte[] actual = new byte[frame.length];
            whole.get(actual);
            assertArrayEquals(frame, actual, "every frame intact across chunks");
        }
        assertNotSame(out.segment(0), out.segment(out.segmentCount() - 1));
    }

    @Test
    void discardShouldDropStagedBytesAfterTheListWasCleared() {
        BufferList out = new BufferList();
        FrameWriter writer = writerWithOneFrame(out);
        writer.ack(1);
        out.clear();
        writer.discard();
        assertEquals(0, writer.pendingBytes());
        writer.message(message(2, 64, 0, false), 2, ME, true, true);
        writer.publish();
        assertArrayEquals(oneFrameEncoding(message(2, 64, 0, false), 2), out.toByteArray(),
                "a reconnected session starts with its own frames only");
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }
}
