package io.ferry.pldm.mctp;

import static io.ferry.pldm.mctp.RawDemuxPeer.bytes;
import static io.ferry.pldm.mctp.RawDemuxPeer.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.unix.Unix;
import io.ferry.unix.UnixException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MctpDemuxServerTest {
    static final byte[] GET_TID_REQUEST = bytes(0x80, 0x00, 0x02);
    static final byte[] GET_TID_RESPONSE = bytes(0x00, 0x00, 0x02, 0x00, 0x42);

    private MctpLoop loop;
    private MctpDemuxServer server;
    private String name;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @BeforeEach
    void setUp() throws Exception {
        loop = new MctpLoop("mctp-server-test");
        name = RawDemuxPeer.uniqueName("server");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
            server.closeFuture().get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        loop.close();
    }

    /** Answers GetTID with TID 0x42 on the same link, and records what it saw and on which thread. */
    private final MctpReceiver getTidResponder = (from, eid, message) -> {
        seen.add(eid + ":" + hex(message) + ":" + loop.center().inEventLoop());
        if (message.remaining() == 3 && message.get(message.position() + 2) == 0x02) {
            int rc = from.send(eid, ByteBuffer.wrap(GET_TID_RESPONSE));
            if (rc != MctpTransport.OK) {
                throw new AssertionError("send returned " + MctpTransport.describe(rc));
            }
        }
    };

    private MctpDemuxServer start(MctpConfig config) throws Exception {
        server = new MctpDemuxServer(config, getTidResponder);
        server.start(loop.center());
        return server;
    }

    private MctpDemuxServer start() throws Exception {
        return start(MctpConfig.defaults().withSocketName(name));
    }

    @Test
    void shouldAnswerGetTidOnTheRequestersOwnSocket() throws Exception {
        start();
        try (RawDemuxPeer asking = RawDemuxPeer.register(name, 1); RawDemuxPeer bystander = RawDemuxPeer.register(name, 1)) {
            asking.sendPldm(8, GET_TID_REQUEST);
            assertArrayEquals(bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), asking.receive(),
                    "[eid = source 8][type 1][PLDM response]");
            assertTrue(bystander.silentFor(100), "only the requester gets the response");
            assertEquals(List.of("8:80 00 02:true"), seen, "eid, exact message bytes, on the loop thread");
            assertEquals(1, server.counters().received());
            assertEquals(1, server.counters().sent());
        }
    }

    @Test
    void shouldTellTheLinkListenerWhenTheRequestersSocketHangsUp() throws Exception {
        List<MctpLink> answered = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();
        server = new MctpDemuxServer(MctpConfig.defaults().withSocketName(name), (from, eid, message) -> {
            answered.add(from);
            getTidResponder.onMessage(from, eid, message);
        });
        server.setLinkListener(link -> closed.add((answered.contains(link) ? "requester" : "other") + ":" + link.isOpen()
                + ":" + loop.center().inEventLoop()));
        server.start(loop.center());
        try (RawDemuxPeer asking = RawDemuxPeer.register(name, 1)) {
            asking.sendPldm(8, GET_TID_REQUEST);
            asking.receive();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MctpLoop.TIMEOUT_SECONDS);
        while (closed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("requester:false:true"), closed);
    }

    @Test
    void shouldRefuseSecondBindOfTheSameName() throws Exception {
        start();
        MctpDemuxServer second = new MctpDemuxServer(MctpConfig.defaults().withSocketName(name), getTidResponder);
        UnixException e = assertThrows(UnixException.class, () -> second.start(loop.center()));
        assertEquals(98, e.errno(), "EADDRINUSE");
        assertTrue(second.closeFuture().isDone());
    }

    @Test
    void shouldDropMalformedPacketsAndCloseOnlyTheAbusiveClient() throws Exception {
        start(MctpConfig.defaults().withSocketName(name).withLimits(64, 4, 128, 5_000));
        try (RawDemuxPeer abuser = RawDemuxPeer.register(name, 1); RawDemuxPeer good = RawDemuxPeer.register(name, 1)) {
            abuser.sendRaw(0x08);                              // too short: no type byte
            abuser.sendRaw(0x08, 0x01, 0x80, 0x00);            // too short: no complete PLDM header
            abuser.sendRaw(0x08, 0x02, 0x80, 0x00, 0x02);      // wrong type byte
            good.sendPldm(8, GET_TID_REQUEST);
            assertArrayEquals(bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), good.receive());
            assertEquals(2, loop.call(() -> server.clientCount()), "three bad packets do not close anyone yet");

            abuser.sendRaw(0x08, 0x07, 0x80, 0x00, 0x02);      // the fourth: closed
            abuser.awaitEndOfStream();
            assertEquals(2, server.counters().droppedMalformed());
            assertEquals(2, server.counters().droppedUnknownType());
            assertEquals(1, server.counters().clientsRejected());
            assertEquals(1, loop.call(() -> server.clientCount()));

            good.sendPldm(8, GET_TID_REQUEST);
            assertArrayEquals(bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), good.receive(), "the other client is unaffected");
            assertEquals(List.of("8:80 00 02:true", "8:80 00 02:true"), seen, "nothing malformed reached the receiver");
        }
    }

    @Test
    void shouldDropTruncatedPacketsAsMalformed() throws Exception {
        MctpConfig small = new MctpConfig(name, 8, 16, 64, 16, 128, 5_000);
        start(small);
        try (RawDemuxPeer client = RawDemuxPeer.register(name, 1)) {
            byte[] big = new byte[40];
            big[0] = 8;
            big[1] = 1;
            client.sendRaw(big);
            client.sendPldm(8, GET_TID_REQUEST);
            assertArrayEquals(bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), client.receive());
            assertEquals(1, server.counters().droppedMalformed());
        }
    }

    @Test
    void shouldCloseClientsThatRegisterAnotherMessageType() throws Exception {
        start();
        try (RawDemuxPeer nvme = RawDemuxPeer.register(name, 4); RawDemuxPeer pldm = RawDemuxPeer.register(name, 1)) {
            nvme.awaitEndOfStream();
            assertEquals(1, server.counters().droppedUnknownType());
            assertEquals(1, server.counters().clientsRejected());
            pldm.sendPldm(8, GET_TID_REQUEST);
            assertArrayEquals(bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), pldm.receive());
        }
    }

    @Test
    void shouldCloseClientsThatNeverRegister() throws Exception {
        start(MctpConfig.defaults().withSocketName(name).withLimits(64, 16, 128, 200));
        try (RawDemuxPeer silent = RawDemuxPeer.connect(name)) {
            silent.awaitEndOfStream();
            assertEquals(1, server.counters().clientsRejected());
            assertEquals(0, loop.call(() -> server.clientCount()));
        }
    }

    @Test
    void shouldDropPacketsAddressedToAnotherEid() throws Exception {
        start();
        try (RawDemuxPeer client = RawDemuxPeer.register(name, 1)) {
            client.sendPldm(9, GET_TID_REQUEST);
            client.sendPldm(8, GET_TID_REQUEST);
            assertArrayEquals(bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), client.receive());
            assertEquals(1, server.counters().droppedUnknownEid());
            assertEquals(1, seen.size());
        }
    }

    @Test
    void shouldFreeEverythingOverFiveHundredConnectCloseCycles() throws Exception {
        start();
        cycle(); // warm up: class loading, JNA, thread-local scratch
        awaitClients(0);
        long before = RawDemuxPeer.openDescriptors();
        for (int i = 0; i < 500; i++) {
            cycle();
        }
        awaitClients(0);
        long after = RawDemuxPeer.openDescriptors();
        // Slack of 2 for descriptors the JVM itself may open meanwhile (jar files, GC logs).
        assertTrue(after <= before + 2, "descriptors before " + before + ", after " + after);
        assertEquals(501, server.counters().clientsAccepted());
        assertEquals(501, server.counters().received());
    }

    private void cycle() throws Exception {
        try (RawDemuxPeer client = RawDemuxPeer.register(name, 1)) {
            client.sendPldm(8, GET_TID_REQUEST);
            assertEquals(7, client.receive().length);
        }
    }

    private void awaitClients(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MctpLoop.TIMEOUT_SECONDS);
        while (loop.call(() -> server.clientCount()) != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("clients still " + loop.call(() -> server.clientCount()));
            }
            Thread.sleep(1);
        }
    }

    @Test
    void shouldQueueWhenTheClientIsSlowAndFlushWhenItReads() throws Exception {
        start(MctpConfig.defaults().withSocketName(name).withLimits(8, 16, 128, 5_000));
        try (RawDemuxPeer slow = RawDemuxPeer.register(name, 1)) {
            // Make sure the registration was read before broadcasting.
            slow.sendPldm(8, GET_TID_REQUEST);
            slow.receive();
            byte[] payload = new byte[4000];
            payload[0] = 0x00;
            payload[2] = 0x02;
            List<Integer> codes = loop.call(() -> {
                List<Integer> rcs = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    payload[3] = (byte) i;
                    int rc = server.send(8, ByteBuffer.wrap(payload));
                    rcs.add(rc);
                    if (rc != MctpTransport.OK) {
                        break;
                    }
                }
                return rcs;
            });
            int accepted = codes.size() - 1;
            assertEquals(MctpTransport.BACK_PRESSURED, codes.get(accepted), "a full queue is a return code");
            assertEquals(1, server.counters().backPressured());
            for (int i = 0; i < accepted; i++) {
                byte[] got = slow.receive();
                assertEquals(4002, got.length);
                assertEquals((byte) i, got[5], "in order, nothing lost");
            }
            assertTrue(slow.silentFor(100));
            assertEquals(accepted + 1L, server.counters().sent());
        }
    }

    @Test
    void shouldRefuseSendFromAnotherThread() throws Exception {
        start();
        assertEquals(MctpTransport.WRONG_THREAD, server.send(8, ByteBuffer.wrap(GET_TID_RESPONSE)));
        assertEquals(MctpTransport.NO_ROUTE, (int) loop.call(() -> server.send(8, ByteBuffer.wrap(GET_TID_RESPONSE))));
    }

    @Test
    void shouldReleaseEverythingWhenTheLoopStops() throws Exception {
        start();
        RawDemuxPeer client = RawDemuxPeer.register(name, 1);
        try {
            client.sendPldm(8, GET_TID_REQUEST);
            client.receive();
            loop.close();
            server.closeFuture().get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            client.awaitEndOfStream();
            server.close();
        } finally {
            client.close();
            server = null;
        }
    }
}
