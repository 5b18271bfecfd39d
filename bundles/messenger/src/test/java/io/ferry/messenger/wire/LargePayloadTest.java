package io.ferry.messenger.wire;

import static io.ferry.messenger.wire.WireFixtures.frame;
import static io.ferry.messenger.wire.WireFixtures.random;
import static io.ferry.messenger.wire.WireFixtures.readerOn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Payloads larger than the read buffer's chunk: copied into a run of the loop's chunks (pieces),
 * sections that straddle pieces come out intact and direct, every piece returns to the loop's
 * memory when the message is released, when its crc is bad, and when the stream is cut mid-message.
 */
class LargePayloadTest {
    private static final int CHUNK = ReceiveMemory.CHUNK_SIZE;

    /** Feeds {@code frame} (from {@code from} to {@code to}) in reads of random sizes, as a socket would. */
    private static int feed(FrameReader reader, byte[] frame, int from, int to, Random r, RecordingSink sink) {
        int f = FrameReader.NEED_MORE;
        for (int at = from; at < to && f == FrameReader.NEED_MORE; ) {
            int n = Math.min(to - at, 1 + r.nextInt(70_000));
            f = reader.feed(ByteBuffer.wrap(frame, at, n), sink);
            at += n;
        }
        return f;
    }

    private static void assertDirect(BufferList section) {
        for (int i = 0; i < section.segmentCount(); i++) {
            assertTrue(section.segment(i).isDirect(), "a view of a direct piece");
        }
    }

    @Test
    void sectionsStraddlingPiecesShouldArriveIntactAndGiveEveryPieceBack() {
        Random r = new Random(3);
        ReceiveMemory memory = new ReceiveMemory(CHUNK);
        // a connection of the loop read into a chunk and gave it back, its window left where it parsed
        ReceiveBuffer other = new ReceiveBuffer(memory);
        other.forRead().put(new byte[500]);
        other.received();
        other.forParse().position(500);
        other.settle();
        assertEquals(1, memory.spareChunks());
        FrameReader reader = readerOn(memory);
        // front crosses the first piece boundary, middle sits inside the second piece, data spans three more
        byte[] front = random(r, CHUNK + 5000);
        byte[] middle = random(r, 300);
        byte[] data = random(r, 3 * CHUNK + 17);
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, feed(reader, frame(front, middle, data), 0, frame(front, middle, data).length, r, sink));
        assertEquals(1, sink.messages.size());
        Message m = sink.messages.get(0);
        assertArrayEquals(front, m.front().toByteArray());
        assertArrayEquals(middle, m.middle().toByteArray());
        assertArrayEquals(data, m.data().toByteArray());
        assertEquals(2, m.front().segmentCount(), "front spans two pieces");
        assertEquals(4, m.data().segmentCount(), "data spans four pieces");
        assertDirect(m.front());
        assertDirect(m.data());
        assertEquals(0, memory.spareChunks(), "the message holds its pieces");
        m.release();
        int pieces = (front.length + middle.length + data.length + CHUNK - 1) / CHUNK; // the first one the used chunk
        assertEquals(pieces, memory.spareChunks(), "released: every piece back in the loop's memory");

        // the next large message reuses them
        byte[] again = random(r, 2 * CHUNK);
        byte[] f2 = frame(new byte[0], new byte[0], again);
        assertEquals(FrameReader.NEED_MORE, reader.feed(ByteBuffer.wrap(f2), sink));
        assertEquals(pieces - 2, memory.spareChunks());
        assertArrayEquals(again, sink.messages.get(1).data().toByteArray());
        sink.messages.get(1).release();
        assertEquals(pieces, memory.spareChunks());
    }

    /**
     * As the connection reads once a large payload's sections began: straight into the pieces
     * (directTarget / directFilled), the bytes before and after them through feed. Nothing of the
     * sections is copied, and the message is the one sent.
     */
    @Test
    void aSocketShouldReadStraightIntoThePieces() {
        Random r = new Random(6);
        ReceiveMemory memory = new ReceiveMemory(CHUNK);
        FrameReader reader = readerOn(memory);
        byte[] front = random(r, 3000);
        byte[] middle = random(r, CHUNK - 100); // ends 2900 bytes into the second piece
        byte[] data = random(r, 2 * CHUNK + 5);
        byte[] f = frame(front, middle, data);
        RecordingSink sink = new RecordingSink();
        int headerEnd = 1 + Msgr.HEADER_SIZE;
        int fed = 0;
        int direct = 0;
        int at = 0;
        // the first read brings the tag, the header and a little of the front section
        assertEquals(FrameReader.NEED_MORE, reader.feed(ByteBuffer.wrap(f, 0, headerEnd + 10), sink));
        fed += headerEnd + 10;
        at = headerEnd + 10;
        for (ByteBuffer target; (target = reader.directTarget()) != null; ) {
            int n = Math.min(target.remaining(), 1 + r.nextInt(40_000)); // a short read now and then
            target.put(f, at, n);
            reader.directFilled(n);
            at += n;
            direct += n;
        }
        assertEquals(front.length + middle.length + data.length - 10, direct, "every other byte of the sections read in place");
        assertEquals(FrameReader.NEED_MORE, reader.feed(ByteBuffer.wrap(f, at, f.length - at), sink));
        fed += f.length - at;
        assertEquals(headerEnd + 10 + MessageFooter.size(true), fed, "only the tag, header, footer and ten bytes went through feed");
        assertEquals(1, sink.messages.size());
        Message m = sink.messages.get(0);
        assertArrayEquals(front, m.front().toByteArray());
        assertArrayEquals(middle, m.middle().toByteArray());
        assertArrayEquals(data, m.data().toByteArray());
        assertEquals(null, reader.directTarget(), "between messages the socket reads into the read buffer");
        m.release();
        assertEquals(memory.chunksCreated(), memory.spareChunks(), "every piece back");
    }

    @Test
    void aBadCrcShouldFailTheMessageAndTheResetGiveItsPiecesBack() {
        Random r = new Random(4);
        ReceiveMemory memory = new ReceiveMemory(CHUNK);
        FrameReader reader = readerOn(memory);
        byte[] data = random(r, 2 * CHUNK + 100);
        byte[] f = frame(new byte[10], new byte[0], data);
        f[f.length - 30] ^= 0x40; // a byte of the data section, in its last piece
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.FAILED, feed(reader, f, 0, f.length, r, sink));
        assertEquals(FrameReader.ErrorKind.CRC, reader.errorKind());
        assertTrue(reader.error().contains("data crc"), reader.error());
        assertEquals(0, sink.messages.size());
        reader.reset();
        assertEquals(3, memory.spareChunks(), "the connection's reset gave the three pieces back");
    }

    @Test
    void aStreamCutMidMessageShouldGiveThePiecesTakenSoFarBack() {
        Random r = new Random(5);
        ReceiveMemory memory = new ReceiveMemory(CHUNK);
        FrameReader reader = readerOn(memory);
        byte[] f = frame(new byte[0], new byte[0], random(r, 5 * CHUNK));
        RecordingSink sink = new RecordingSink();
        int cut = 2 * CHUNK + 1000;
        assertEquals(FrameReader.NEED_MORE, feed(reader, f, 0, cut, r, sink));
        assertEquals(0, memory.spareChunks());
        reader.reset();
        assertEquals(3, memory.spareChunks(), "the three pieces filled so far are back; none were taken ahead");
    }
}
