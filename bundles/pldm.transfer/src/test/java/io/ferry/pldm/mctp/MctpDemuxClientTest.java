package io.ferry.pldm.mctp;

import static io.ferry.pldm.mctp.MctpDemuxServerTest.GET_TID_REQUEST;
import static io.ferry.pldm.mctp.MctpDemuxServerTest.GET_TID_RESPONSE;
import static io.ferry.pldm.mctp.RawDemuxPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.unix.Unix;
import io.ferry.unix.UnixException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MctpDemuxClientTest {
    private MctpLoop serverLoop;
    private MctpLoop clientLoop;
    private String name;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @BeforeEach
    void setUp() throws Exception {
        serverLoop = new MctpLoop("mctp-demux");
        clientLoop = new MctpLoop("mctp-client");
        name = RawDemuxPeer.uniqueName("client");
    }

    @AfterEach
    void tearDown() {
        clientLoop.close();
        serverLoop.close();
    }

    @Test
    void shouldExchangeGetTidWithAMctpDemuxServerAndReportItsDeparture() throws Exception {
        MctpConfig config = MctpConfig.defaults().withSocketName(name);
        MctpDemuxServer server = new MctpDemuxServer(config, (from, eid, message) -> from.send(eid, ByteBuffer.wrap(GET_TID_RESPONSE)));
        server.start(serverLoop.center());

        CompletableFuture<String> response = new CompletableFuture<>();
        CompletableFuture<String> fault = new CompletableFuture<>();
        MctpDemuxClient client = new MctpDemuxClient(config,
                (from, eid, message) -> response.complete(eid + ":" + hex(message) + ":" + clientLoop.center().inEventLoop()),
                (transport, errno, reason) -> fault.complete(errno + ":" + reason + ":" + transport.isOpen()));
        client.start(clientLoop.center());

        assertEquals(MctpTransport.OK, (int) clientLoop.call(() -> client.send(8, ByteBuffer.wrap(GET_TID_REQUEST))));
        assertEquals("8:00 00 02 00 42:true", response.get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "source eid 8, the response bytes, on the client's loop");
        assertEquals(1, client.counters().sent());
        assertEquals(1, client.counters().received());

        server.close();
        assertEquals("0:peer hung up:false", fault.get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        client.closeFuture().get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(MctpTransport.NOT_CONNECTED, (int) clientLoop.call(() -> client.send(8, ByteBuffer.wrap(GET_TID_REQUEST))));
        assertFalse(client.isOpen());
    }

    @Test
    void shouldReceiveBroadcastsAndCountMalformedPacketsFromTheDaemon() throws Exception {
        MctpConfig config = MctpConfig.defaults().withSocketName(name);
        try (io.ferry.unix.UnixSeqpacketServer daemon = io.ferry.unix.UnixSeqpacketServer.bind(
                io.ferry.unix.UnixAddress.abstractName(name))) {
            CompletableFuture<String> got = new CompletableFuture<>();
            MctpDemuxClient client = new MctpDemuxClient(config, (from, eid, message) -> got.complete(eid + ":" + hex(message)),
                    MctpFaultListener.NONE);
            client.start(clientLoop.center());
            io.ferry.unix.UnixSeqpacketSocket peer = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MctpLoop.TIMEOUT_SECONDS);
            while (peer == null && System.nanoTime() - deadline < 0) {
                peer = daemon.accept();
                Thread.sleep(1);
            }
            try (io.ferry.unix.UnixSeqpacketSocket p = peer) {
                ByteBuffer in = ByteBuffer.allocate(16);
                assertEquals(1, p.receive(in), "the registration byte first");
                assertEquals(1, in.get(0), "type PLDM");
                p.send(ByteBuffer.wrap(RawDemuxPeer.bytes(0x09, 0x01, 0x00)));          // too short
                p.send(ByteBuffer.wrap(RawDemuxPeer.bytes(0x09, 0x05, 0x00, 0x00, 0x02))); // another type
                p.send(ByteBuffer.wrap(RawDemuxPeer.bytes(0x09, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42)));
                assertEquals("9:00 00 02 00 42", got.get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals(1, client.counters().droppedMalformed());
                assertEquals(1, client.counters().droppedUnknownType());
            }
            client.close();
            client.closeFuture().get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldFailToStartWhenNoDaemonListens() {
        MctpDemuxClient client = new MctpDemuxClient(MctpConfig.defaults().withSocketName(name), (f, e, m) -> { },
                MctpFaultListener.NONE);
        UnixException e = assertThrows(UnixException.class, () -> client.start(clientLoop.center()));
        assertEquals(111, e.errno(), "ECONNREFUSED");
        assertFalse(client.isOpen());
    }
}
