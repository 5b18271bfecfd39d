package io.ferry.pldm.mctp;

import static io.ferry.pldm.mctp.MctpDemuxServerTest.GET_TID_REQUEST;
import static io.ferry.pldm.mctp.MctpDemuxServerTest.GET_TID_RESPONSE;
import static io.ferry.pldm.mctp.RawDemuxPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InJvmMctpTransportTest {
    private MctpLoop loop;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MctpLoop("mctp-injvm");
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    @Test
    void shouldDeliverThroughTheEventLoopNeverSynchronously() throws Exception {
        CompletableFuture<String> response = new CompletableFuture<>();
        List<String> order = new ArrayList<>();
        InJvmMctpTransport[] pair = InJvmMctpTransport.pair(
                20, (from, eid, message) -> response.complete(eid + ":" + hex(message)),
                8, (from, eid, message) -> {
                    order.add("request from " + eid);
                    from.send(eid, ByteBuffer.wrap(GET_TID_RESPONSE));
                });
        pair[0].start(loop.center());
        pair[1].start(loop.center());
        loop.call(() -> {
            ByteBuffer request = ByteBuffer.wrap(GET_TID_REQUEST);
            assertEquals(MctpTransport.OK, pair[0].send(8, request));
            order.add("send returned");
            request.put(0, (byte) 0); // the transport copied the message
            return null;
        });
        assertEquals("8:00 00 02 00 42", response.get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("send returned", "request from 20"), loop.call(() -> List.copyOf(order)));
        assertEquals(1, pair[0].counters().sent());
        assertEquals(1, pair[1].counters().received());
    }

    @Test
    void shouldReturnCodesForRouteBackPressureAndClose() throws Exception {
        InJvmMctpTransport[] pair = InJvmMctpTransport.pair(20, (f, e, m) -> { }, 8, (f, e, m) -> { }, 64, 2);
        assertEquals(MctpTransport.NOT_CONNECTED, pair[0].send(8, ByteBuffer.wrap(GET_TID_REQUEST)));
        pair[0].start(loop.center());
        pair[1].start(loop.center());
        assertEquals(MctpTransport.WRONG_THREAD, pair[0].send(8, ByteBuffer.wrap(GET_TID_REQUEST)));
        assertEquals(List.of(MctpTransport.NO_ROUTE, MctpTransport.INVALID_ARGUMENT, MctpTransport.TOO_LARGE,
                MctpTransport.OK, MctpTransport.OK, MctpTransport.BACK_PRESSURED), loop.call(() -> List.of(
                        pair[0].send(9, ByteBuffer.wrap(GET_TID_REQUEST)),
                        pair[0].send(8, ByteBuffer.allocate(0)),
                        pair[0].send(8, ByteBuffer.allocate(65)),
                        pair[0].send(8, ByteBuffer.wrap(GET_TID_REQUEST)),
                        pair[0].send(8, ByteBuffer.wrap(GET_TID_REQUEST)),
                        pair[0].send(8, ByteBuffer.wrap(GET_TID_REQUEST)))));
        assertEquals(2L, loop.call(() -> pair[1].counters().received()), "delivered once the loop ran");
        assertEquals(MctpTransport.OK, (int) loop.call(() -> pair[0].send(8, ByteBuffer.wrap(RawDemuxPeer.bytes(1)))));
        assertEquals(1L, loop.call(() -> pair[1].counters().droppedMalformed()));
        pair[1].close();
        assertEquals(MctpTransport.NOT_CONNECTED, (int) loop.call(() -> pair[0].send(8, ByteBuffer.wrap(GET_TID_REQUEST))));
    }

    @Test
    void shouldTellBothEndsLinkListenersOnceWhenOneEndCloses() throws Exception {
        InJvmMctpTransport[] pair = InJvmMctpTransport.pair(20, (f, e, m) -> { }, 8, (f, e, m) -> { });
        List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        pair[0].setLinkListener(link -> closed.add("a:" + (link == pair[0]) + ":" + link.isOpen()));
        pair[1].setLinkListener(link -> closed.add("b:" + (link == pair[1]) + ":" + link.isOpen()));
        pair[0].start(loop.center());
        pair[1].start(loop.center());
        pair[0].close();
        pair[0].close();
        pair[1].close();
        loop.call(() -> null);
        assertEquals(List.of("a:true:false", "b:true:false"), closed);
    }
}
