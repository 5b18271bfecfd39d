package io.ferry.netstack.shm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmListener;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of open/close cycles — a new client connection (HELLO, segment), a channel to a
 * listener, one byte each way, close everything — leave no descriptor, mapping, shared memory or
 * server-side record behind, whatever the order of the closes (see {@link CloseOrder}).
 */
class OpenCloseCycleLeakTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    private static final int CYCLES = Integer.getInteger("ferry.shm.cycles", 2_000);

    @TempDir
    Path temp;

    /** Which end goes first at the end of a cycle. */
    enum CloseOrder {
        /** The connecting socket, then the accepted one, then the connecting client. */
        CONNECTOR_FIRST,
        /** The accepted socket, then the connecting one, then the connecting client. */
        ACCEPTOR_FIRST,
        /**
         * The connecting client while its socket is still open (the server closes the channel on
         * its behalf: the acceptor reads end of stream), then the accepted socket, then the
         * connecting socket, which keeps its mapping until then (as {@link ShmClient#close()} says).
         */
        CLIENT_WITH_OPEN_SOCKET
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CloseOrder.class)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldLeakNothingOverThousandsOfConnectChannelCloseCycles(CloseOrder order) throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        try (ServerFixture fixture = ServerFixture.start(
                ShmControlServer.Config.defaults(temp.resolve("ferry").resolve("shm.sock")).withRingCapacity(4096));
                ShmClient acceptor = ShmClient.connect(fixture.socketPath(), TIMEOUT)) {
            ShmControlServer server = fixture.server();
            ShmListener listener = acceptor.listen("cycle", 16);
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < 50; i++) { // warm-up: class loading, JNA, thread-local scratch buffers
                cycle(fixture.socketPath(), listener, one, order);
            }
            acceptor.processControlMessages();
            ProcessResources.await(() -> server.liveClients() == 1 && server.liveChannels() == 0, "the warm-up to settle");
            ProcessResources before = ProcessResources.now();
            long openedBefore = server.channelsOpenedCount();
            for (int i = 0; i < CYCLES; i++) {
                cycle(fixture.socketPath(), listener, one, order);
            }
            acceptor.processControlMessages();
            ProcessResources.await(() -> server.liveClients() == 1 && server.liveChannels() == 0,
                    "the server to forget the cycles' clients and channels");
            ProcessResources after = ProcessResources.awaitBackTo(before, CYCLES + " cycles");
            assertEquals(openedBefore + CYCLES, server.channelsOpenedCount(), "every cycle opened a channel");
            assertEquals(before.liveSharedMemory(), after.liveSharedMemory());
            assertEquals(before.memfdMappings(), after.memfdMappings());
            assertTrue(after.fds() <= before.fds() + ProcessResources.FD_SLACK, after + " vs " + before);
            assertTrue(after.mappings() <= before.mappings() + 8, "mappings " + after.mappings() + " vs " + before.mappings());
            assertEquals(0, acceptor.openSockets());
            assertTrue(server.snapshot().channels().isEmpty(), server.snapshot().toString());
            System.out.printf("%,d connect/channel/close cycles, %s: %s -> %s%n", CYCLES, order, before, after);
        }
    }

    /** One cycle: connect a client, open a channel to the listener, a byte each way, close in {@code order}. */
    private static void cycle(Path socketPath, ShmListener listener, ByteBuffer one, CloseOrder order) throws Exception {
        ShmClient client = ShmClient.connect(socketPath, TIMEOUT);
        ShmSocket s = client.connect("cycle");
        ShmSocket t = listener.accept(TIMEOUT);
        assertNotNull(t, "accepted");
        s.setTimeoutNanos(TIMEOUT);
        t.setTimeoutNanos(TIMEOUT);
        one.clear().put(0, (byte) 7);
        assertEquals(1, s.write(one));
        one.clear();
        assertEquals(1, t.read(one));
        one.clear();
        assertEquals(1, t.write(one));
        one.clear();
        assertEquals(1, s.read(one));
        switch (order) {
            case CONNECTOR_FIRST -> {
                s.close();
                t.close();
                client.close();
            }
            case ACCEPTOR_FIRST -> {
                t.close();
                s.close();
                client.close();
            }
            case CLIENT_WITH_OPEN_SOCKET -> {
                client.close();
                one.clear();
                assertEquals(0, t.read(one), "the acceptor reads end of stream once the connector's client is gone");
                t.close();
                s.close();
            }
        }
    }
}
