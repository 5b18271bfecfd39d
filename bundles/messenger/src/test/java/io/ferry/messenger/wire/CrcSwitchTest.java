package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Ceph's {@code ms_crc_data} switch: with data crcs off the writer leaves the data crc 0 and sets
 * NOCRC, and the reader accepts it; the header, front and middle crcs stay checked either way; a
 * header announcing more than the limit is refused before anything is admitted or allocated.
 */
class CrcSwitchTest {
    private static byte[] frame(boolean crcData) {
        Message m = new Message(0x42, BufferList.wrap(new byte[] {1, 2, 3}), BufferList.wrap(new byte[] {4}),
                BufferList.wrap(new byte[300]));
        BufferList out = new BufferList();
        FrameWriter.writeMessage(out, m, 1, EntityName.osd(1), true, crcData);
        return out.toByteArray();
    }

    private static int feed(byte[] bytes, boolean checkDataCrc, RecordingSink sink) {
        FrameReader r = new FrameReader(1 << 20);
        r.setMsgAuth(true);
        r.setCheckDataCrc(checkDataCrc);
        int result = r.feed(ByteBuffer.wrap(bytes), sink);
        return result == FrameReader.FAILED ? -100 - r.errorKind().ordinal() : result;
    }

    @Test
    void noCrcFooterShouldSkipOnlyTheDataCrc() {
        byte[] off = frame(false);
        int flags = off[off.length - 1] & 0xFF;
        assertEquals(Msgr.FOOTER_COMPLETE | Msgr.FOOTER_NOCRC, flags);
        off[off.length - 300 - 21 + 5] ^= 1; // spoil a data byte: no crc covers it now
        RecordingSink sink = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, feed(off, true, sink));
        assertEquals(1, sink.messages.size());

        byte[] on = frame(true);
        assertEquals(Msgr.FOOTER_COMPLETE, on[on.length - 1] & 0xFF);
        on[on.length - 300 - 21 + 5] ^= 1;
        assertEquals(-100 - FrameReader.ErrorKind.CRC.ordinal(), feed(on, true, new RecordingSink()), "data crc checked");
        RecordingSink unchecked = new RecordingSink();
        assertEquals(FrameReader.NEED_MORE, feed(on, false, unchecked), "data crc off at the receiver");
        assertEquals(1, unchecked.messages.size());

        byte[] front = frame(false);
        front[1 + Msgr.HEADER_SIZE] ^= 1; // first front byte: its crc is always checked
        assertEquals(-100 - FrameReader.ErrorKind.CRC.ordinal(), feed(front, false, new RecordingSink()));
        byte[] header = frame(false);
        header[3] ^= 1;
        assertEquals(-100 - FrameReader.ErrorKind.CRC.ordinal(), feed(header, false, new RecordingSink()));
    }

    @Test
    void aHeaderAnnouncingOneGibShouldBeRefusedBeforeAdmission() {
        byte[] b = new byte[1 + Msgr.HEADER_SIZE];
        b[0] = (byte) Msgr.TAG_MSG;
        new MessageHeader().wrap(ByteBuffer.wrap(b), 1).seq(1).type(1).frontLen(1L << 30).sealCrc();
        RecordingSink sink = new RecordingSink();
        assertEquals(-100 - FrameReader.ErrorKind.OVERSIZED.ordinal(), feed(b, true, sink));
        assertEquals(0, sink.admittedBytes, "nothing admitted, nothing allocated");
    }
}
