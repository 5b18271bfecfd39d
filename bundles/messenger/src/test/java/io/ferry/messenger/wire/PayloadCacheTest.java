package io.ferry.messenger.wire;

import static io.ferry.messenger.wire.WireFixtures.decode;
import static io.ferry.messenger.wire.WireFixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Recycled payload arrays of received messages: reused only once every view of them is released. */
class PayloadCacheTest {

    private static byte[] message(long seq, byte[] front, byte[] data) {
        BufferList out = new BufferList();
        FrameWriter.writeMessage(out, new Message(0x30, BufferList.wrap(front), new BufferList(), BufferList.wrap(data)), seq,
                EntityName.osd(1), true);
        return out.toByteArray();
    }

    @Test
    void shouldReuseTheArrayOfAReleasedMessageForTheNextOne() {
        Random r = new Random(1);
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        byte[] f1 = random(r, 100);
        byte[] d1 = random(r, 4000);
        Message first = decode(reader, message(1, f1, d1));
        assertArrayEquals(f1, first.front().toByteArray());
        assertArrayEquals(d1, first.data().toByteArray());
        assertEquals(0, reader.cachedPayloads(), "held by the message's sections");
        assertTrue(first.data().segment(0).isDirect(), "a recycled direct buffer");
        first.release();
        assertEquals(1, reader.cachedPayloads(), "back once the message was released");

        byte[] f2 = random(r, 50);
        byte[] d2 = random(r, 4050);
        Message second = decode(reader, message(2, f2, d2));
        assertEquals(0, reader.cachedPayloads(), "the cached buffer was taken again, not a new one");
        assertArrayEquals(f2, second.front().toByteArray());
        assertArrayEquals(d2, second.data().toByteArray());
        second.release();
    }

    @Test
    void shouldKeepMovedSectionsIntactUntilTheirNewListIsReleased() {
        Random r = new Random(2);
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        byte[] front = random(r, 2000);
        Message request = decode(reader, message(1, front, new byte[0]));
        // an echo: the reply takes the request's front over, then the request is released
        Message reply = new Message(0x31, new BufferList().append(request.front()), new BufferList(), new BufferList());
        request.release();
        assertEquals(0, reader.cachedPayloads(), "the reply still holds the array");
        for (int seq = 2; seq < 6; seq++) {
            Message other = decode(reader, message(seq, random(r, 1500), random(r, 300)));
            assertArrayEquals(front, reply.front().toByteArray(), "overwritten while the reply held it");
            other.release();
        }
        reply.release();
        assertEquals(2, reader.cachedPayloads(), "both arrays of the size class came back");
    }

    @Test
    void shouldKeepSmallAndLargeMessagesOutOfThePayloadCache() {
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        decode(reader, message(1, new byte[10], new byte[100])).release();
        decode(reader, message(2, new byte[10], new byte[PayloadCache.MAX_SIZE + 1])).release();
        assertEquals(0, reader.cachedPayloads());
    }

    @Test
    void shouldReturnTheArrayOfAMessageCutShortByAReset() {
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        byte[] frame = message(1, new byte[3000], new byte[0]);
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, reader.feed(ByteBuffer.wrap(frame, 0, 200), sink));
        assertEquals(0, reader.cachedPayloads(), "taken for the message in progress");
        reader.reset();
        assertEquals(1, reader.cachedPayloads());
    }

    @Test
    void shouldRefuseAReleaseTooMany() {
        PayloadCache cache = new PayloadCache();
        PayloadCache.Payload p = cache.take(2048);
        assertEquals(2048, p.buffer.capacity());
        assertTrue(p.buffer.isDirect(), "sent on by address, not copied");
        p.release();
        assertThrows(IllegalStateException.class, p::release);
        assertThrows(IllegalStateException.class, p::retain);
    }

    @Test
    void shouldSizeClassesByPowersOfTwo() {
        assertEquals(0, PayloadCache.sizeClass(1024));
        assertEquals(1, PayloadCache.sizeClass(1025));
        assertEquals(2, PayloadCache.sizeClass(4096));
        assertEquals(4, PayloadCache.sizeClass(PayloadCache.MAX_SIZE));
    }
}
