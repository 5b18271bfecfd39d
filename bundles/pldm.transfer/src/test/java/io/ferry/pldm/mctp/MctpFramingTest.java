package io.ferry.pldm.mctp;

import static io.ferry.pldm.mctp.RawDemuxPeer.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MctpFramingTest {
    @Test
    void shouldFramePldmMessageAsEidTypeMessage() {
        ByteBuffer frame = ByteBuffer.allocate(16);
        ByteBuffer message = ByteBuffer.wrap(bytes(0xFF, 0x80, 0x00, 0x02)).position(1);
        assertEquals(5, MctpFraming.encode(frame, 8, MctpFraming.TYPE_PLDM, message));
        byte[] out = new byte[frame.remaining()];
        frame.get(out);
        assertArrayEquals(bytes(0x08, 0x01, 0x80, 0x00, 0x02), out);
        assertEquals(1, message.position(), "the message's position does not move");
        assertEquals(8, MctpFraming.eid(ByteBuffer.wrap(out), 0));
        assertEquals(1, MctpFraming.type(ByteBuffer.wrap(out), 0));
    }

    @Test
    void shouldReadEidsAboveSevenBitsUnsigned() {
        ByteBuffer frame = ByteBuffer.allocate(8);
        MctpFraming.encode(frame, 0xFE, MctpFraming.TYPE_PLDM, ByteBuffer.wrap(bytes(0x80, 0, 2)));
        assertEquals(0xFE, MctpFraming.eid(frame, 0));
    }

    @Test
    void shouldRefuseFrameLargerThanBuffer() {
        assertEquals(-1, MctpFraming.encode(ByteBuffer.allocate(4), 8, 1, ByteBuffer.wrap(bytes(0x80, 0, 2))));
    }

    @Test
    void shouldUseTheDemuxConstantsOfLibpldm() {
        assertEquals("mctp-mux", MctpFraming.DEFAULT_SOCKET_NAME);
        assertEquals(1, MctpFraming.TYPE_PLDM);
        assertEquals(2, MctpFraming.PREFIX_LENGTH);
        assertEquals(8, MctpConfig.defaults().localEid());
    }
}
