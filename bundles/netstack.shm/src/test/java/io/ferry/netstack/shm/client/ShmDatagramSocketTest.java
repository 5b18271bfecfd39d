package io.ferry.netstack.shm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.dgram.DatagramRecordDescriptor;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datagram endpoints through a real control server: routing with source names, drops, EMSGSIZE, hostile records, leaks. */
class ShmDatagramSocketTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    private EventLoopWorker worker;
    private ShmControlServer server;
    private Path socketPath;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        worker = new EventLoopWorker(0, "shm-dgram-test", new EpollDriverFactory().create());
        worker.start();
        socketPath = temp.resolve("ferry").resolve("shm.sock");
        CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                f.complete(ShmControlServer.start(worker.center(),
                        ShmControlServer.Config.defaults(socketPath).withRingCapacity(4096).withMaxChannels(16)));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        server = f.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (worker != null) {
            worker.stop(5000);
        }
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void datagramsTravelBetweenTwoClientsWithTheSendersName() throws Exception {
        try (ShmClient one = ShmClient.connect(socketPath, TIMEOUT); ShmClient two = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmDatagramSocket a = one.openDatagram("dg/a");
            ShmDatagramSocket b = two.openDatagram("dg/b");
            a.setTimeoutNanos(TIMEOUT);
            b.setTimeoutNanos(TIMEOUT);
            assertEquals(ShmAddress.of("dg/a"), a.localAddress());
            assertEquals(5, a.send(ShmAddress.of("dg/b"), utf8("hello")));
            ByteBuffer dst = ByteBuffer.allocate(64);
            assertEquals(5, b.receive(dst));
            assertEquals("hello", text(dst));
            assertEquals(ShmAddress.of("dg/a"), b.lastSource());
            assertEquals(5, b.send(b.lastSource(), utf8("world")));
            dst.clear();
            assertEquals(5, a.receive(dst));
            assertEquals("world", text(dst));
            assertEquals(ShmAddress.of("dg/b"), a.lastSource());

            for (int i = 0; i < 500; i++) { // ping-pong: every one arrives in order
                ByteBuffer p = ByteBuffer.allocate(4).putInt(0, i);
                assertEquals(4, a.send(ShmAddress.of("dg/b"), p));
                dst.clear();
                assertEquals(4, b.receive(dst));
                assertEquals(i, dst.getInt(0));
            }
            assertTrue(server.datagramsRouted() >= 502);

            b.configureBlocking(false);
            dst.clear();
            assertEquals(-Errno.EAGAIN, b.receive(dst), "nothing there: EWOULDBLOCK");
            a.close();
            b.close();
            ShmClientTest.await(() -> server.datagramEndpoints() == 0 && server.liveChannels() == 0, "endpoints freed");
        }
    }

    @Test
    void unknownDestinationsAreDroppedAndCountedLikeUdp() throws Exception {
        try (ShmClient c = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmDatagramSocket a = c.openDatagram("dg/lonely");
            long dropped = server.datagramsDropped();
            assertEquals(3, a.send(ShmAddress.of("dg/nobody"), utf8("abc")), "sent: the ring took it");
            ShmClientTest.await(() -> server.datagramsDropped() == dropped + 1, "the drop to be counted");
            ShmDatagramSocket self = a;
            assertEquals(2, self.send(ShmAddress.of("dg/lonely"), utf8("me")), "to itself");
            ByteBuffer dst = ByteBuffer.allocate(8);
            self.setTimeoutNanos(TIMEOUT);
            assertEquals(2, self.receive(dst));
            a.close();
        }
    }

    @Test
    void namesAreExclusiveAndReservedPrefixesRefused() throws Exception {
        try (ShmClient c = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmDatagramSocket a = c.openDatagram("dg/x");
            assertEquals(Errno.EADDRINUSE, assertThrows(UnixException.class, () -> c.openDatagram("dg/x")).errno());
            assertEquals(Errno.EACCES, assertThrows(UnixException.class, () -> c.openDatagram("node/x")).errno());
            a.close();
            ShmClientTest.await(() -> server.datagramEndpoints() == 0, "the name released");
            c.openDatagram("dg/x").close();
        }
    }

    @Test
    void aDatagramLargerThanTheRingIsEMSGSIZE() throws Exception {
        try (ShmClient c = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmDatagramSocket a = c.openDatagram("dg/big", 1024);
            ShmAddress to = ShmAddress.of("dg/big");
            int max = a.maxPayload(to);
            assertEquals(1024 - 8 - 6, max);
            assertEquals(-Errno.EMSGSIZE, a.send(to, ByteBuffer.allocate(max + 1)));
            assertEquals(max, a.send(to, ByteBuffer.allocate(max)));
            a.setTimeoutNanos(TIMEOUT);
            assertEquals(max, a.receive(ByteBuffer.allocate(2048)));
            a.close();
        }
    }

    @Test
    void aHostileRecordClosesOnlyThatEndpoint() throws Exception {
        try (ShmClient evil = ShmClient.connect(socketPath, TIMEOUT); ShmClient good = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmDatagramSocket bad = evil.openDatagram("dg/evil");
            ShmDatagramSocket x = good.openDatagram("dg/x");
            ShmDatagramSocket y = good.openDatagram("dg/y");
            ByteBuffer raw = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            raw.putInt(DatagramRecordDescriptor.TAG).putShort((short) 4).putShort((short) 40000).putInt(0x41414141).flip();
            assertEquals(12, bad.end().write(raw), "a record claiming 40000 payload bytes it never published");
            ShmClientTest.await(() -> server.datagramEndpointsBroken() == 1, "the server to refuse the record");
            bad.setTimeoutNanos(TIMEOUT);
            assertEquals(-Errno.EPIPE, bad.receive(ByteBuffer.allocate(8)), "the server closed that endpoint");
            x.setTimeoutNanos(TIMEOUT);
            y.setTimeoutNanos(TIMEOUT);
            assertEquals(2, x.send(ShmAddress.of("dg/y"), utf8("ok")));
            assertEquals(2, y.receive(ByteBuffer.allocate(8)), "the other endpoints carry on");
            bad.close();
            x.close();
            y.close();
            ShmClientTest.await(() -> server.liveChannels() == 0, "everything freed");
        }
    }

    @Test
    void openCloseCyclesLeakNoDescriptorsOrMappings() throws Exception {
        try (ShmClient c = ShmClient.connect(socketPath, TIMEOUT)) {
            c.openDatagram("dg/warm").close();
            ShmClientTest.await(() -> server.liveChannels() == 0, "warm-up freed");
            long fds = ShmClientTest.openFds();
            int mappings = SharedMemory.liveMappings();
            for (int i = 0; i < 300; i++) {
                ShmDatagramSocket d = c.openDatagram("dg/cycle-" + (i % 3));
                d.configureBlocking(false);
                d.send(ShmAddress.of("dg/cycle-" + (i % 3)), ByteBuffer.allocate(10));
                d.close();
                ShmClientTest.await(() -> server.datagramEndpoints() == 0, "endpoint " + d + " closed");
            }
            ShmClientTest.await(() -> server.liveChannels() == 0, "channels freed");
            assertEquals(mappings, SharedMemory.liveMappings());
            long after = ShmClientTest.openFds();
            assertTrue(after <= fds + 2, "fds " + fds + " -> " + after);
        }
    }
}
