package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.api.msgr.EntityAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Byte-exact layouts of the fixed msgr v1 structures (msgr.h, msg_types.h). */
class WireLayoutTest {

    @Test
    void legacyEntityAddressShouldPutFamilyAndPortInNetworkOrder() throws Exception {
        EntityAddress a = new EntityAddress(0x01020304, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6789));
        byte[] bytes = EntityAddrCodec.encode(a);
        assertEquals(136, bytes.length);
        byte[] expectedStart = {0, 0, 0, 0, 4, 3, 2, 1, 0, 2, 0x1a, (byte) 0x85, 127, 0, 0, 1, 0};
        for (int i = 0; i < expectedStart.length; i++) {
            assertEquals(expectedStart[i], bytes[i], "byte " + i);
        }
        assertEquals(a, EntityAddrCodec.decode(ByteBuffer.wrap(bytes), 0));
    }

    @Test
    void ipv6AddressShouldRoundTrip() throws Exception {
        EntityAddress a = new EntityAddress(77, new InetSocketAddress(InetAddress.getByName("::1"), 3300));
        byte[] bytes = EntityAddrCodec.encode(a);
        assertEquals(0, bytes[8]);
        assertEquals(10, bytes[9]);
        assertEquals(a, EntityAddrCodec.decode(ByteBuffer.wrap(bytes), 0));
    }

    @Test
    void addressWithUnknownFamilyOrMarkerShouldBeRefusedWithAReason() {
        byte[] bytes = new byte[136];
        bytes[9] = 99;
        assertNotNull(EntityAddrCodec.check(ByteBuffer.wrap(bytes), 0));
        assertNull(EntityAddrCodec.decode(ByteBuffer.wrap(bytes), 0));
        byte[] marker = new byte[136];
        marker[0] = 1;
        assertNotNull(EntityAddrCodec.check(ByteBuffer.wrap(marker), 0));
        assertNotNull(EntityAddrCodec.check(ByteBuffer.wrap(new byte[100]), 0), "truncated");
    }

    @Test
    void connectMessageShouldBe33PackedLittleEndianBytes() {
        ByteBuffer b = ByteBuffer.allocate(33);
        new ConnectMessage().wrap(b, 0).features(0x1122334455667788L).hostType(8).globalSeq(5).connectSeq(6)
                .protocolVersion(15).authorizerProtocol(1).authorizerLen(0).flags(Msgr.CONNECT_LOSSY);
        byte[] expected = {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 8, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 15,
            0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertArrayEquals(expected, b.array());
    }

    @Test
    void connectReplyShouldBe26PackedLittleEndianBytes() {
        ByteBuffer b = ByteBuffer.allocate(26);
        ConnectReply r = new ConnectReply().wrap(b, 0).tag(Msgr.TAG_SEQ).features(0x0401020002040000L).globalSeq(3)
                .connectSeq(1).protocolVersion(15).authorizerLen(0).flags(1);
        assertEquals(13, b.get(0));
        assertEquals(0x04, b.get(8));
        assertEquals(3, b.get(9));
        assertEquals(1, b.get(13));
        assertEquals(15, b.get(17));
        assertEquals(1, b.get(25));
        assertNull(r.check());
        r.tag(Msgr.TAG_MSG);
        assertNotNull(r.check(), "MSG is not a handshake tag");
    }

    @Test
    void headerCrcShouldCoverTheFirst49Bytes() {
        ByteBuffer b = ByteBuffer.allocate(53).order(ByteOrder.LITTLE_ENDIAN);
        MessageHeader h = new MessageHeader().wrap(b, 0).seq(1).tid(2).type(0x02).priority(127).version(1).frontLen(0)
                .middleLen(0).dataLen(0).dataOff(0).src(8, 4123).compatVersion(1).reserved(0).sealCrc();
        assertEquals(Crc32c.compute(0, b.array(), 0, 49), b.getInt(49));
        assertEquals(8, b.get(36));
        assertEquals(4123, b.getLong(37));
        assertEquals(1, b.getShort(45));
        b.put(20, (byte) 9);
        assertEquals(false, h.computeCrc() == h.crc(), "a changed byte breaks the crc");
    }

    @Test
    void footerShouldBe21BytesWithMsgAuthAnd13Without() {
        ByteBuffer b = ByteBuffer.allocate(21);
        MessageFooter.encode(b, 0, true, 1, 2, 3, Msgr.FOOTER_COMPLETE);
        assertEquals(1, b.get(20));
        ByteBuffer old = ByteBuffer.allocate(13);
        MessageFooter.encode(old, 0, false, 1, 2, 3, Msgr.FOOTER_COMPLETE);
        assertEquals(1, old.get(12));
        assertEquals(3, old.get(8));
    }
}
