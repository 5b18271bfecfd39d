package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    static byte[] stream(boolean msgAuth) {
        BufferList out = new BufferList();
        Message m = new Message(0x2a, BufferList.ofUtf8("front"), BufferList.ofUtf8("mid"), BufferList.ofUtf8("payload data"));
        m.priority(Message.PRIORITY_HIGH).tid(99).version(3).compatVersion(2);
        FrameWriter.writeMessage(out, m, 7, EntityName.client(4123), msgAuth);
        FrameWriter.writeAck(out, 5);
        FrameWriter.writeKeepalive2(out, false, 100, 200);
        FrameWriter.writeKeepalive2(out, true, 300, 400);
        FrameWriter.writeTag(out, Msgr.TAG_KEEPALIVE);
        FrameWriter.writeTag(out, Msgr.TAG_CLOSE);
        return out.toByteArray();
    }

    /**
     * A session stopped from inside a sink callback (a dispatcher shutting the messenger down)
     * resets the reader: the feed in progress ends there instead of decoding the rest of a buffer
     * that belongs to the closed stream (it read zeros as "bad tag 0" at every demo shutdown).
     */
    @Test
    void resetFromInsideACallbackShouldEndTheFeedInProgress() {
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        BufferList out = new BufferList();
        for (int seq = 1; seq <= 3; seq++) {
            FrameWriter.writeMessage(out, new Message(0x2a, BufferList.ofUtf8("m" + seq), new BufferList(), new BufferList()),
                    seq, EntityName.client(1), true);
        }
        ByteBuffer in = ByteBuffer.wrap(out.toByteArray());
        RecordingSink sink = new RecordingSink() {
            @Override
            public void onMessage(Message message) {
                super.onMessage(message);
                reader.reset(); // as AsyncConnection.stop does, called from the dispatcher
            }
        };
        assertEquals(FrameReader.NEED_MORE, reader.feed(in, sink));
        assertEquals(1, sink.messages.size(), "nothing decoded after the reset");
        assertTrue(in.hasRemaining(), "the rest of the abandoned stream is left alone");
        BufferList next = new BufferList();
        FrameWriter.writeMessage(next, new Message(0x2a, BufferList.ofUtf8("new"), new BufferList(), new BufferList()), 9,
                EntityName.client(1), true);
        RecordingSink fresh = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, reader.feed(ByteBuffer.wrap(next.toByteArray()), fresh));
        assertEquals(9, fresh.messages.get(0).seq(), "the next feed (a new stream) decodes again");
    }

    @Test
    void shouldDecodeEveryFrameWhateverTheSplit() {
        for (boolean msgAuth : new boolean[] {true, false}) {
            byte[] bytes = stream(msgAuth);
            for (int chunk = 1; chunk <= bytes.length; chunk++) {
                FrameReader reader = new FrameReader(1 << 20);
                reader.setMsgAuth(msgAuth);
                RecordingSink sink = new RecordingSink();
                int r = FrameReader.NEED_MORE;
                for (int at = 0; at < bytes.length && r == FrameReader.NEED_MORE; at += chunk) {
                    r = reader.feed(ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)), sink);
                }
                assertEquals(FrameReader.CLOSED, r, "chunk " + chunk);
                assertEquals(1, sink.messages.size());
                Message m = sink.messages.get(0);
                assertEquals(0x2a, m.type());
                assertEquals(7, m.seq());
                assertEquals(99, m.tid());
                assertEquals(Message.PRIORITY_HIGH, m.priority());
                assertEquals(3, m.version());
                assertEquals(2, m.compatVersion());
                assertEquals(EntityName.client(4123), m.source());
                assertArrayEquals("front".getBytes(StandardCharsets.UTF_8), m.front().toByteArray());
                assertArrayEquals("mid".getBytes(StandardCharsets.UTF_8), m.middle().toByteArray());
                assertArrayEquals("payload data".getBytes(StandardCharsets.UTF_8), m.data().toByteArray());
                assertEquals(java.util.List.of(5L), sink.acks);
                assertEquals(100, sink.keepalive2.get(0)[0]);
                assertEquals(400, sink.keepalive2Acks.get(0)[1]);
                assertEquals(1, sink.keepalives);
            }
        }
    }

    @Test
    void shouldRefuseBadHeaderCrcWithAReason() {
        byte[] bytes = stream(true);
        bytes[1 + 16] ^= 1; // the type field
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        assertEquals(FrameReader.FAILED, reader.feed(ByteBuffer.wrap(bytes), new RecordingSink()));
        assertTrue(reader.error().contains("bad header crc"), reader.error());
        assertEquals(FrameReader.FAILED, reader.feed(ByteBuffer.wrap(bytes), new RecordingSink()), "stays failed");
    }

    @Test
    void shouldRefuseBadDataCrc() {
        byte[] bytes = stream(true);
        int dataAt = 1 + 53 + 5 + 3;
        bytes[dataAt] ^= 0x40;
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        assertEquals(FrameReader.FAILED, reader.feed(ByteBuffer.wrap(bytes), new RecordingSink()));
        assertTrue(reader.error().contains("bad data crc"), reader.error());
    }

    @Test
    void shouldRefuseUnknownTagAndOversizedMessageBeforeAllocating() {
        FrameReader reader = new FrameReader(1 << 20);
        assertEquals(FrameReader.FAILED, reader.feed(ByteBuffer.wrap(new byte[] {42}), new RecordingSink()));
        assertTrue(reader.error().contains("bad tag 42"), reader.error());

        ByteBuffer header = ByteBuffer.allocate(54);
        header.put(0, (byte) Msgr.TAG_MSG);
        new MessageHeader().wrap(header, 1).dataLen(0xFFFFFFF0L).sealCrc();
        FrameReader small = new FrameReader(1 << 20);
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.FAILED, small.feed(header, sink));
        assertTrue(small.error().contains("exceeds the limit"), small.error());
        assertEquals(0, sink.admittedBytes);
    }

    @Test
    void shouldPauseWhileTheSinkRefusesAndGiveBackAdmittedBytesOnReset() {
        byte[] bytes = stream(true);
        FrameReader reader = new FrameReader(1 << 20);
        reader.setMsgAuth(true);
        RecordingSink sink = new RecordingSink();
        sink.admitting = false;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertEquals(FrameReader.PAUSED, reader.feed(in, sink));
        assertEquals(54, in.position(), "stops right after the header");
        assertEquals(FrameReader.PAUSED, reader.feed(in, sink));
        sink.admitting = true;
        ByteBuffer partial = ByteBuffer.wrap(bytes, 54, 3);
        assertEquals(FrameReader.NEED_MORE, reader.feed(partial, sink));
        assertEquals(20, reader.reset(), "front+middle+data of the half-read message");
    }
}
