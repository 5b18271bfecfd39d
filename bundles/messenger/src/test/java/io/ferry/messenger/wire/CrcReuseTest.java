package io.ferry.messenger.wire;

import static io.ferry.messenger.wire.WireFixtures.decode;
import static io.ferry.messenger.wire.WireFixtures.frame;
import static io.ferry.messenger.wire.WireFixtures.random;
import static io.ferry.messenger.wire.WireFixtures.readerOn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The crcs a reader verified are remembered by the buffers the sections live in, and a writer
 * sending those sections on (an echo, a forward) uses them instead of a pass over the bytes; every
 * frame written that way must decode with correct crcs, and nothing stale may be used: not after a
 * buffer was reused for another message, not for a section partly consumed, not for bytes the
 * reader does not own alone. Received sections are read-only, so remembered bytes cannot change.
 */
class CrcReuseTest {
    private static final int CHUNK = ReceiveMemory.CHUNK_SIZE;

    /** A connection's sending side: its outgoing list and frame writer. */
    private static final class Sender {
        final BufferList out = new BufferList();
        final FrameWriter writer = new FrameWriter(out);

        /** @return {@code m} as the peer gets it: written, then decoded by a fresh reader (which checks every crc) */
        Message sendAndDecode(Message m) {
            writer.message(m, 7, EntityName.osd(2), true, true);
            writer.publish();
            byte[] bytes = out.toByteArray();
            out.clear();
            return decode(readerOn(new ReceiveMemory(CHUNK)), bytes);
        }
    }

    @Test
    void anEchoedSectionShouldGoOutWithTheRememberedCrc() {
        Random r = new Random(1);
        FrameReader reader = readerOn(new ReceiveMemory(CHUNK));
        byte[] front = random(r, 4096);
        Message request = decode(reader, frame(front, new byte[0], new byte[0]));
        Sender sender = new Sender();
        Message reply = new Message(0x31, new BufferList().append(request.front()), new BufferList(), new BufferList());
        request.release();
        Message back = sender.sendAndDecode(reply);
        assertEquals(1, sender.writer.crcsReused(), "the front's crc was not computed again");
        assertArrayEquals(front, back.front().toByteArray());
        reply.release();
        back.release();
    }

    @Test
    void aForwardedLargeMessageShouldChainTheCrcsOfItsPieces() {
        Random r = new Random(2);
        FrameReader reader = readerOn(new ReceiveMemory(CHUNK));
        byte[] front = random(r, CHUNK + 5000);
        byte[] middle = random(r, 300);
        byte[] data = random(r, 3 * CHUNK + 17);
        Message in = decode(reader, frame(front, middle, data));
        int segments = in.front().segmentCount() + in.middle().segmentCount() + in.data().segmentCount();
        Sender sender = new Sender();
        Message back = sender.sendAndDecode(in);
        assertEquals(segments, sender.writer.crcsReused(), "every piece's crc was reused");
        assertArrayEquals(front, back.front().toByteArray());
        assertArrayEquals(middle, back.middle().toByteArray());
        assertArrayEquals(data, back.data().toByteArray());
        in.release();
        back.release();
    }

    @Test
    void aReusedPayloadShouldNotLendItsOldCrcToTheNextMessage() {
        Random r = new Random(3);
        ReceiveMemory memory = new ReceiveMemory(CHUNK);
        FrameReader reader = readerOn(memory);
        decode(reader, frame(random(r, 4000), new byte[0], new byte[0])).release();
        byte[] second = random(r, 4000); // the same size class: the same recycled buffer, other bytes
        Message m = decode(reader, frame(second, new byte[0], new byte[0]));
        Sender sender = new Sender();
        Message back = sender.sendAndDecode(m);
        assertArrayEquals(second, back.front().toByteArray());
        assertEquals(1, sender.writer.crcsReused());
        m.release();
        back.release();
    }

    @Test
    void sectionsChangedAfterReceiptShouldBeChecksummedAfresh() {
        Random r = new Random(4);
        FrameReader reader = readerOn(new ReceiveMemory(CHUNK));
        byte[] front = random(r, 3000);
        Message m = decode(reader, frame(front, new byte[0], new byte[0]));
        m.front().consume(100); // a partly consumed section: its first segment no longer starts where the crc did
        byte[] tail = random(r, 2000);
        BufferList data = new BufferList().append(m.front().splice(1000)).append(ByteBuffer.wrap(tail));
        Message out1 = new Message(0x32, m.front(), new BufferList(), data);
        Sender sender = new Sender();
        Message back = sender.sendAndDecode(out1);
        assertEquals(0, sender.writer.crcsReused(), "no remembered crc covers these segments");
        assertArrayEquals(java.util.Arrays.copyOfRange(front, 1100, 3000), back.front().toByteArray());
        byte[] expectedData = new byte[3000];
        System.arraycopy(front, 100, expectedData, 0, 1000);
        System.arraycopy(tail, 0, expectedData, 1000, 2000);
        assertArrayEquals(expectedData, back.data().toByteArray());
        out1.release();
        back.release();
    }

    @Test
    void aReceivedSectionFollowedBySenderBytesShouldChainBoth() {
        Random r = new Random(5);
        FrameReader reader = readerOn(new ReceiveMemory(CHUNK));
        byte[] front = random(r, 8000);
        Message m = decode(reader, frame(front, new byte[0], new byte[0]));
        byte[] more = random(r, 1500);
        Message reply = new Message(0x33, new BufferList().append(m.front()).append(ByteBuffer.wrap(more)), new BufferList(),
                new BufferList());
        Sender sender = new Sender();
        Message back = sender.sendAndDecode(reply);
        assertEquals(1, sender.writer.crcsReused());
        byte[] expected = new byte[front.length + more.length];
        System.arraycopy(front, 0, expected, 0, front.length);
        System.arraycopy(more, 0, expected, front.length, more.length);
        assertArrayEquals(expected, back.front().toByteArray());
        m.release();
        reply.release();
        back.release();
    }

    @Test
    void receivedSectionsShouldBeReadOnlyAndInPlaceOnesNotRemembered() {
        Random r = new Random(6);
        ReceiveMemory memory = new ReceiveMemory(CHUNK);
        FrameReader reader = readerOn(memory);
        Message pooled = decode(reader, frame(random(r, 2000), new byte[0], new byte[0]));
        Message pieces = decode(reader, frame(new byte[0], new byte[0], random(r, CHUNK + 10)));
        assertThrows(ReadOnlyBufferException.class, () -> pooled.front().segment(0).put(0, (byte) 1));
        assertThrows(ReadOnlyBufferException.class, () -> pieces.data().segment(0).put(0, (byte) 1));
        // a payload between the cache's sizes and the chunk's is taken in place from the read chunk,
        // which other messages' views share: read-only, its crc not remembered
        ReceiveBuffer received = new ReceiveBuffer(memory);
        byte[] big = random(r, 20_000);
        received.forRead().put(frame(big, new byte[0], new byte[0]));
        received.received();
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, reader.feed(received.forParse(), received.owner(), sink));
        received.settle();
        Message inPlace = sink.messages.get(0);
        assertTrue(inPlace.front().owner(0) instanceof ReceiveMemory.Chunk, "a view of the read chunk");
        assertThrows(ReadOnlyBufferException.class, () -> inPlace.front().segment(0).put(0, (byte) 1));
        Sender sender = new Sender();
        assertArrayEquals(big, sender.sendAndDecode(inPlace).front().toByteArray());
        assertEquals(0, sender.writer.crcsReused());
        pooled.release();
        pieces.release();
        inPlace.release();
    }
}
