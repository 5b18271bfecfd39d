package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.buffer.ReferenceCounted;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The connection's read buffer: compacts like {@link ByteBuffer#compact()} while nothing views it,
 * never moves or overwrites bytes a live view refers to, moves on to another chunk when the room
 * runs out, gives an emptied chunk back to the loop's memory, and chunks come back there once their
 * views are gone.
 */
class ReceiveBufferTest {
    private static final int SIZE = 64 * 1024;

    private static byte[] bytes(int from, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    /** As a socket read would: puts {@code data} behind the unparsed bytes. */
    private static void read(ReceiveBuffer rb, byte[] data) {
        rb.forRead().put(data);
        rb.received();
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    @Test
    void withoutViewsTheUnparsedRestShouldMoveToTheStart() {
        ReceiveBuffer rb = new ReceiveBuffer(SIZE);
        read(rb, bytes(0, 100));
        ByteBuffer in = rb.forParse();
        assertArrayEquals(bytes(0, 60), take(in, 60));
        rb.settle();
        assertEquals(40, rb.unparsed());
        assertEquals(SIZE - 40, rb.room(), "compacted: the whole chunk but the rest is free");
        read(rb, bytes(100, 10));
        assertArrayEquals(bytes(60, 50), take(rb.forParse(), 50));
        rb.settle();
        assertEquals(0, rb.unparsed());
        assertEquals(SIZE, rb.room());
    }

    @Test
    void bytesAViewRefersToShouldNeverMoveOrBeOverwritten() {
        ReceiveBuffer rb = new ReceiveBuffer(SIZE);
        read(rb, bytes(0, 100));
        ByteBuffer in = rb.forParse();
        BufferList view = new BufferList().append(in.duplicate().limit(50), rb.owner());
        in.position(80);
        rb.settle();
        assertEquals(SIZE - 100, rb.room(), "the next read goes behind the viewed bytes");
        read(rb, bytes(100, 500));
        assertArrayEquals(bytes(80, 520), take(rb.forParse(), 520));
        rb.settle();
        assertArrayEquals(bytes(0, 50), view.toByteArray());
        view.clear();
        read(rb, bytes(7, 3));
        rb.forParse(); // a parser that found too few bytes to consume
        rb.settle(); // nothing parsed, but no view left: the rest moves to the start
        assertEquals(SIZE - 3, rb.room());
        assertArrayEquals(bytes(7, 3), take(rb.forParse(), 3));
    }

    @Test
    void aChunkWithoutRoomShouldBeLeftToItsViewsAndComeBackWhenTheyGo() {
        ReceiveBuffer rb = new ReceiveBuffer(SIZE);
        ReferenceCounted first = rb.owner();
        read(rb, bytes(0, SIZE - ReceiveBuffer.MIN_ROOM + 1));
        ByteBuffer in = rb.forParse();
        BufferList view = new BufferList().append(in.duplicate().limit(1000), first);
        in.position(in.limit() - 30); // 30 bytes of a frame not complete yet
        rb.settle();
        assertNotSame(first, rb.owner(), "too little room behind a viewed chunk: another one");
        assertEquals(30, rb.unparsed(), "the unparsed rest came along");
        assertArrayEquals(bytes(SIZE - ReceiveBuffer.MIN_ROOM + 1 - 30, 30), take(rb.forParse(), 30));
        ReferenceCounted second = rb.owner();
        rb.settle();
        assertEquals(0, second.refCount(), "emptied and unviewed, the second chunk went back to the loop's memory");
        assertEquals(1, rb.spares());
        assertArrayEquals(bytes(0, 1000), view.toByteArray(), "the old chunk still holds what its view shows");
        view.clear();
        assertEquals(0, first.refCount());
        assertEquals(2, rb.spares(), "the last view gone, the first chunk is a spare too");

        // the spares serve the next read and the next move, the one freed last first
        assertSame(first, rb.owner());
        read(rb, bytes(1, SIZE - ReceiveBuffer.MIN_ROOM + 1));
        BufferList held = new BufferList().append(rb.forParse().duplicate().limit(10), first);
        rb.forParse().position(SIZE - ReceiveBuffer.MIN_ROOM + 1);
        rb.settle();
        assertSame(second, rb.owner(), "short of room: on to the other spare");
        assertEquals(0, rb.spares());
        held.clear();
        assertEquals(1, rb.spares());
    }

    @Test
    void roomForAFrameWantedWholeShouldBeKeptFromItsFirstByteOn() {
        ReceiveBuffer rb = new ReceiveBuffer(SIZE);
        ReferenceCounted first = rb.owner();
        read(rb, bytes(0, 20_000));
        ByteBuffer in = rb.forParse();
        BufferList view = new BufferList().append(in.duplicate().limit(100), first);
        in.position(19_000); // 1000 bytes of a frame whose payload must be seen whole
        rb.settle(40_000);
        assertSame(first, rb.owner(), "19 000 + 40 000 fit in the chunk: reading goes on behind the view");
        read(rb, bytes(20_000, 20_000));
        in = rb.forParse();
        in.position(in.position() + 10_000);
        rb.settle(50_000);
        assertNotSame(first, rb.owner(), "29 000 + 50 000 do not: the unparsed rest moves to another chunk");
        assertEquals(11_000, rb.unparsed());
        assertTrue(rb.room() >= 50_000 - 11_000);
        assertArrayEquals(bytes(29_000, 11_000), take(rb.forParse(), 11_000));
        assertArrayEquals(bytes(0, 100), view.toByteArray());
        view.clear();
    }

    @Test
    void clearShouldStartAnewWithoutTouchingViewedBytes() {
        ReceiveBuffer rb = new ReceiveBuffer(SIZE);
        read(rb, bytes(0, 64));
        ReferenceCounted viewed = rb.owner();
        BufferList view = new BufferList().append(rb.forParse().duplicate().limit(64), viewed);
        rb.clear();
        assertEquals(0, rb.unparsed());
        assertNotSame(viewed, rb.owner());
        read(rb, bytes(100, 64));
        assertArrayEquals(bytes(0, 64), view.toByteArray());
        view.clear();
        ReferenceCounted current = rb.owner();
        rb.clear();
        assertEquals(0, current.refCount(), "nothing views it: given back");
        assertSame(current, rb.owner(), "and taken again first, the one given back last");
        assertThrows(IllegalArgumentException.class, () -> new ReceiveBuffer(ReceiveBuffer.MIN_ROOM - 1));
    }

    /**
     * The point of the loop's shared memory: a connection that parsed everything it read holds no
     * chunk, and the next connection of the loop reads into the one it gave back.
     */
    @Test
    void connectionsOfOneLoopShouldReadIntoTheChunkTheLastOneGaveBack() {
        ReceiveMemory loop = new ReceiveMemory(SIZE);
        ReceiveBuffer a = new ReceiveBuffer(loop);
        ReceiveBuffer b = new ReceiveBuffer(loop);
        read(a, bytes(0, 100));
        ReferenceCounted chunk = a.owner();
        assertArrayEquals(bytes(0, 100), take(a.forParse(), 100));
        a.settle();
        assertEquals(0, chunk.refCount(), "all parsed, nothing views it: a holds nothing");
        assertEquals(1, loop.spareChunks());
        assertEquals(SIZE, a.room());
        read(b, bytes(1, 100));
        assertSame(chunk, b.owner(), "b reads into the chunk a gave back");
        // b keeps part of a frame: its chunk stays with it, a gets another
        take(b.forParse(), 60);
        b.settle();
        assertEquals(40, b.unparsed());
        read(a, bytes(2, 10));
        assertNotSame(chunk, a.owner());
        assertArrayEquals(bytes(61, 40), take(b.forParse(), 40));
        assertArrayEquals(bytes(2, 10), take(a.forParse(), 10));
        a.settle();
        b.settle();
        assertEquals(2, loop.spareChunks(), "both back once parsed");
    }

    @Test
    void aBufferShouldMoveToAnotherLoopOnlyWhenEmpty() {
        ReceiveMemory first = new ReceiveMemory(SIZE);
        ReceiveMemory second = new ReceiveMemory(SIZE);
        ReceiveBuffer rb = new ReceiveBuffer(first);
        read(rb, bytes(0, 10));
        assertThrows(IllegalStateException.class, () -> rb.moveTo(second));
        rb.clear();
        rb.moveTo(second);
        read(rb, bytes(0, 10));
        rb.clear();
        assertEquals(1, first.spareChunks());
        assertEquals(1, second.spareChunks(), "the chunk read into after the move came from the new loop");
    }

    /**
     * With the frame reader as the connection drives it: large payloads, also those cut in two by
     * the reads, are awaited whole and become views, the small ones are copied, and every reference
     * comes back.
     */
    @Test
    void messagesReadInPlaceShouldViewTheChunkAndReturnItWhenReleased() {
        BufferList out = new BufferList();
        for (int seq = 1; seq <= 40; seq++) {
            byte[] front = bytes(seq, frontSize(seq));
            FrameWriter.writeMessage(out, new Message(0x30, BufferList.wrap(front), new BufferList(), new BufferList()),
                    seq, EntityName.osd(1), true);
        }
        byte[] stream = out.toByteArray();
        ReceiveBuffer rb = new ReceiveBuffer(SIZE);
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        RecordingSink sink = new RecordingSink();
        List<ReferenceCounted> owners = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            // reads of up to 40000 bytes: some messages whole, some cut in two
            int n = Math.min(Math.min(40_000, stream.length - at), rb.room());
            rb.forRead().put(stream, at, n);
            rb.received();
            at += n;
            owners.add(rb.owner());
            assertEquals(FrameReader.NEED_MORE, reader.feed(rb.forParse(), rb.owner(), sink));
            rb.settle(reader.wholeBytesWanted());
        }
        assertEquals(40, sink.messages.size());
        for (int i = 0; i < 40; i++) {
            assertArrayEquals(bytes(i + 1, frontSize(i + 1)), sink.messages.get(i).front().toByteArray());
        }
        Set<ReferenceCounted> chunks = Collections.newSetFromMap(new IdentityHashMap<>());
        chunks.addAll(owners);
        int views = chunks.stream().mapToInt(ReferenceCounted::refCount).sum() - 1; // the buffer's own reference
        assertEquals(20, views, "each large message (every other one) views the chunk it was read into, whole");
        sink.messages.forEach(Message::release);
        for (ReferenceCounted chunk : chunks) {
            assertTrue(chunk.refCount() <= 1, "only the buffer's own reference may remain");
        }
        rb.clear();
        assertEquals(0, chunks.stream().mapToInt(ReferenceCounted::refCount).sum(), "every chunk freed");
        assertEquals(Math.min(chunks.size(), ReceiveMemory.SPARE_CHUNKS + ReceiveMemory.RESERVE_CHUNKS), rb.spares(), "and kept for reuse up to the bound");
    }

    /** Every other message small (copied out), the others large (taken in place when whole). */
    private static int frontSize(int seq) {
        return seq % 2 == 0 ? 64 + seq * 50 : FrameReader.IN_PLACE_MIN + seq * 100;
    }
}
