package io.ferry.netstack.shm.control;

import static io.ferry.netstack.shm.control.ControlMessageDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.net.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ControlMessageRoundTripTest {

    private final ControlMessageDecoder decoder = new ControlMessageDecoder();

    /** A big-endian buffer at a non-zero offset: proves the codec ignores the buffer's order. */
    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(1024).order(ByteOrder.BIG_ENDIAN);
    }

    private static final int AT = 7;

    @Test
    void shouldRoundTripHello() {
        ByteBuffer b = buffer();
        UUID uuid = UUID.fromString("6f1c2e9a-3b5d-4c7e-8f10-2a3b4c5d6e7f");
        int n = ControlMessageEncoder.hello(b, AT, 0x1122334455667788L, 1, 3, 4242, uuid);
        assertEquals(HELLO_LENGTH, n);
        assertEquals(HELLO, decoder.wrap(b, AT, n, 0));
        assertEquals(0x1122334455667788L, decoder.requestId());
        assertEquals(1, decoder.helloMinVersion());
        assertEquals(3, decoder.helloMaxVersion());
        assertEquals(4242, decoder.helloClientPid());
        assertEquals(uuid, decoder.helloUuid());
        assertEquals(0x6f, b.get(AT + HELLO_CLIENT_UUID_OFFSET) & 0xFF, "uuid bytes in RFC order");
        assertEquals('F', b.get(AT + HELLO_MAGIC_OFFSET));
    }

    @Test
    void shouldRoundTripHelloReplyAdmittedAndRefused() {
        ByteBuffer b = buffer();
        int n = ControlMessageEncoder.helloReply(b, AT, 9, 1, 1000, 0xFFFF_FFFFL, 1L << 40, 131072);
        assertEquals(HELLO_REPLY_LENGTH, n);
        assertEquals(HELLO_REPLY, decoder.wrap(b, AT, n, 1));
        assertEquals(9, decoder.requestId());
        assertEquals(0, decoder.helloReplyStatus());
        assertEquals(1, decoder.helloReplyVersion());
        assertEquals(1000, decoder.helloReplyServerPid());
        assertEquals(0xFFFF_FFFFL, decoder.helloReplyMaxChannels());
        assertEquals(1L << 40, decoder.helloReplySegmentSize());
        assertEquals(131072, decoder.helloReplyRingCapacity());
        assertEquals(ERR_FD_COUNT, decoder.wrap(b, AT, n, 0), "an admitted reply carries the segment fd");

        n = ControlMessageEncoder.helloReplyRefused(b, AT, 9, EPROTONOSUPPORT, 1, 1000);
        assertEquals(HELLO_REPLY, decoder.wrap(b, AT, n, 0));
        assertEquals(EPROTONOSUPPORT, decoder.helloReplyStatus());
        assertEquals(0, decoder.helloReplySegmentSize());
        assertEquals(ERR_FD_COUNT, decoder.wrap(b, AT, n, 1), "a refusal carries no fd");
    }

    @Test
    void shouldRoundTripListenAndReply() {
        ByteBuffer b = buffer();
        String address = "osd.3/ünïcødé-€-𝄞";
        int n = ControlMessageEncoder.listen(b, AT, 5, 128, address);
        assertEquals(LISTEN_FIXED_LENGTH + address.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, n);
        assertEquals(LISTEN, decoder.wrap(b, AT, n, 0));
        assertEquals(128, decoder.listenBacklog());
        assertEquals(address, decoder.listenAddress());

        n = ControlMessageEncoder.listenReply(b, AT, 5, 0xFFFF_FFFEL);
        assertEquals(LISTEN_REPLY, decoder.wrap(b, AT, n, 0));
        assertEquals(0xFFFF_FFFEL, decoder.listenReplyListenerId());
    }

    @Test
    void shouldRoundTripConnectAcceptAndChannelReady() {
        ByteBuffer b = buffer();
        String longest = "a".repeat(MAX_ADDRESS_LENGTH);
        int n = ControlMessageEncoder.connect(b, AT, 6, 0, longest);
        assertEquals(CONNECT, decoder.wrap(b, AT, n, 0));
        assertEquals(0, decoder.connectRingCapacity());
        assertEquals(longest, decoder.connectAddress());
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.connect(b, AT, 6, 0, longest + "a"));
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.connect(b, AT, 6, 0, ""));
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.connect(b, AT, 6, 63, "x"));

        n = ControlMessageEncoder.accept(b, AT, 3, 17, 4243, "");
        assertEquals(ACCEPT, decoder.wrap(b, AT, n, 0));
        assertEquals(0, decoder.requestId());
        assertEquals(3, decoder.acceptListenerId());
        assertEquals(17, decoder.acceptChannelId());
        assertEquals(4243, decoder.acceptPeerPid());
        assertEquals("", decoder.acceptPeerAddress());

        n = ControlMessageEncoder.channelReady(b, AT, 6, 17, SIDE_B, 64 * 1000, 1 << 30);
        assertEquals(CHANNEL_READY, decoder.wrap(b, AT, n, 5));
        assertEquals(6, decoder.requestId());
        assertEquals(17, decoder.channelReadyChannelId());
        assertEquals(SIDE_B, decoder.channelReadySide());
        assertEquals(64 * 1000, decoder.channelReadyOffset());
        assertEquals(1 << 30, decoder.channelReadyRingCapacity());
        assertEquals(ERR_FD_COUNT, decoder.wrap(b, AT, n, 3));
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.channelReady(b, AT, 6, 17, SIDE_B, 65, 64), "unaligned");
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.channelReady(b, AT, 6, 17, 2, 64, 64), "side");
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.channelReady(b, AT, 6, 0, SIDE_B, 64, 64), "id 0");
    }

    @Test
    void shouldRoundTripCloseAndError() {
        ByteBuffer b = buffer();
        int n = ControlMessageEncoder.close(b, AT, 0, 17, KIND_CHANNEL, Errno.EPROTO);
        assertEquals(CLOSE, decoder.wrap(b, AT, n, 0));
        assertEquals(17, decoder.closeId());
        assertEquals(KIND_CHANNEL, decoder.closeKind());
        assertEquals(Errno.EPROTO, decoder.closeReason());

        n = ControlMessageEncoder.error(b, AT, 4, Errno.EACCES, true, "refused: peer uid 1001");
        assertEquals(ERROR, decoder.wrap(b, AT, n, 0));
        assertEquals(Errno.EACCES, decoder.errorCode());
        assertTrue(decoder.errorFatal());
        assertEquals("refused: peer uid 1001", decoder.errorText());

        String tooLong = "é".repeat(200); // 400 bytes: cut to 254, not in the middle of a character
        n = ControlMessageEncoder.error(b, AT, 4, Errno.EPROTO, false, tooLong);
        assertEquals(ERROR, decoder.wrap(b, AT, n, 0));
        assertFalse(decoder.errorFatal());
        assertEquals("é".repeat(127), decoder.errorText());
        assertEquals(ERR_BAD_FIELD, ControlMessageEncoder.error(b, AT, 4, 0, false, "errno 0"));
    }

    @Test
    void datagramMessagesShareTheLayoutsOfConnectAndChannelReady() {
        ByteBuffer b = buffer();
        int n = ControlMessageEncoder.dgramOpen(b, 0, 9, 4096, "dg/a");
        assertEquals(DGRAM_OPEN, decoder.wrap(b, 0, n, 0));
        assertEquals("dg/a", decoder.connectAddress());
        assertEquals(4096, decoder.connectRingCapacity());
        assertEquals(9, decoder.requestId());
        assertTrue(ControlMessageDescriptor.isClientToServer(DGRAM_OPEN));
        n = ControlMessageEncoder.dgramReady(b, 0, 9, 3, SIDE_A, 0, 4096);
        assertEquals(ERR_FD_COUNT, decoder.wrap(b, 0, n, 0), "DGRAM_READY carries the 5 descriptors");
        assertEquals(DGRAM_READY, decoder.wrap(b, 0, n, CHANNEL_FD_COUNT));
        assertEquals(3, decoder.channelReadyChannelId());
        assertEquals(4096, decoder.channelReadyRingCapacity());
        assertTrue(ControlMessageDescriptor.isServerToClient(DGRAM_READY));
        assertFalse(ControlMessageDescriptor.isReservedType(DGRAM_OPEN));
    }

    @Test
    void shouldReportEachResultCode() {
        ByteBuffer b = buffer();
        int n = ControlMessageEncoder.close(b, 0, 1, 2, KIND_LISTENER, 0);
        assertEquals(ERR_TOO_SHORT, decoder.wrap(b, 0, 15, 0));
        assertEquals(ERR_TOO_LONG, decoder.wrap(b, 0, MAX_MESSAGE_LENGTH + 1, 0));
        assertEquals(ERR_LENGTH_MISMATCH, decoder.wrap(b, 0, n - 1, 0));
        b.putShort(TYPE_OFFSET, (short) 0x7777);
        assertEquals(ERR_UNKNOWN_TYPE, decoder.wrap(b, 0, n, 0));
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(TYPE_OFFSET, (short) DGRAM_OPEN);
        assertEquals(ERR_BAD_FIELD, decoder.wrap(b, 0, n, 0), "CONNECT's layout: a CLOSE's bytes do not add up");
        b.putShort(TYPE_OFFSET, (short) LISTEN_REPLY); // 32 bytes where 24 are due
        assertEquals(ERR_TOO_LONG, decoder.wrap(b, 0, n, 0));
        b.putShort(TYPE_OFFSET, (short) CLOSE);
        b.putShort(CLOSE_KIND_OFFSET, (short) 3);
        assertEquals(ERR_BAD_FIELD, decoder.wrap(b, 0, n, 0));
        b.putShort(CLOSE_KIND_OFFSET, (short) KIND_LISTENER);
        assertEquals(ERR_FD_COUNT, decoder.wrap(b, 0, n, 1));
        assertEquals(CLOSE, decoder.wrap(b, 0, n, 0));
        assertEquals(ERR_BUFFER_TOO_SMALL, ControlMessageEncoder.close(ByteBuffer.allocate(31), 0, 1, 2, KIND_CHANNEL, 0));
        // A buffer whose limit was left short by an earlier use: refused by code, not by an exception.
        assertEquals(ERR_BUFFER_TOO_SMALL, ControlMessageEncoder.close(ByteBuffer.allocate(512).limit(31), 0, 1, 2,
                KIND_CHANNEL, 0));
        assertEquals(Errno.EOPNOTSUPP, ControlMessageDescriptor.errno(ERR_UNSUPPORTED_TYPE));
        assertEquals(Errno.EPROTO, ControlMessageDescriptor.errno(ERR_BAD_FIELD));
    }

    @Test
    void shouldRefuseBadUtf8AndNul() {
        ByteBuffer b = buffer().order(ByteOrder.LITTLE_ENDIAN);
        int n = ControlMessageEncoder.listen(b, 0, 1, 0, "abcd");
        for (byte[] bad : new byte[][] {
                {'a', 0, 'c', 'd'}, // NUL
                {(byte) 0xC0, (byte) 0x80, 'c', 'd'}, // overlong NUL
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 'd'}, // surrogate
                {'a', 'b', 'c', (byte) 0xE2}, // truncated sequence
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                {(byte) 0xFF, 'b', 'c', 'd'}}) {
            b.put(LISTEN_ADDRESS_OFFSET, bad);
            assertEquals(ERR_BAD_FIELD, decoder.wrap(b, 0, n, 0), Arrays.toString(bad));
        }
    }

    @Test
    void shouldRejectGettersOfAnotherTypeAndCallerBugs() {
        ByteBuffer b = buffer();
        int n = ControlMessageEncoder.close(b, 0, 1, 2, KIND_CHANNEL, 0);
        decoder.wrap(b, 0, n, 0);
        assertThrows(IllegalStateException.class, decoder::helloClientPid);
        decoder.wrap(b, 0, 3, 0);
        assertThrows(IllegalStateException.class, decoder::requestId);
        assertThrows(IllegalArgumentException.class, () -> decoder.wrap(b, 1020, 16, 0));
        assertThrows(IllegalArgumentException.class, () -> decoder.wrap(b, 0, 16, -1));
    }

    @Test
    void shouldCheckChannelPlacementAndNegotiateVersions() {
        long size = ControlMessageDescriptor.channelSize(131072);
        assertEquals(192 + 2 * 131456, size);
        assertTrue(ControlMessageDescriptor.channelFits(0, 131072, size));
        assertFalse(ControlMessageDescriptor.channelFits(64, 131072, size));
        assertFalse(ControlMessageDescriptor.channelFits(32, 64, 1 << 20));
        assertFalse(ControlMessageDescriptor.channelFits(Long.MAX_VALUE & -64L, 64, Long.MAX_VALUE));
        assertFalse(ControlMessageDescriptor.channelFits(-64, 64, 1 << 20));
        assertEquals(1, ControlMessageDescriptor.negotiate(1, 5));
        assertEquals(-1, ControlMessageDescriptor.negotiate(2, 5));
        assertEquals(-1, ControlMessageDescriptor.negotiate(1, 0));
    }
}
