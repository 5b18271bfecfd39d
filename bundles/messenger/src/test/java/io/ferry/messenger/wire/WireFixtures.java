package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.util.Random;

/** Frames and readers the wire tests share. */
final class WireFixtures {
    private WireFixtures() {
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** @return one msgr v1 message frame (type 0x30, seq 1, from osd.1, MSG_AUTH footer) with these sections */
    static byte[] frame(byte[] front, byte[] middle, byte[] data) {
        BufferList out = new BufferList();
        FrameWriter.writeMessage(out, new Message(0x30, BufferList.wrap(front), BufferList.wrap(middle), BufferList.wrap(data)),
                1, EntityName.osd(1), true);
        return out.toByteArray();
    }

    /** @return the one message {@code frame} holds, fed to {@code reader} whole */
    static Message decode(FrameReader reader, byte[] frame) {
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, reader.feed(ByteBuffer.wrap(frame), sink), reader.error());
        assertEquals(1, sink.messages.size());
        return sink.messages.get(0);
    }

    /** @return a reader of messages up to 16 MiB with MSG_AUTH footers, copying into {@code memory} */
    static FrameReader readerOn(ReceiveMemory memory) {
        FrameReader reader = new FrameReader(16 << 20, memory);
        reader.setMsgAuth(true);
        return reader;
    }
}
