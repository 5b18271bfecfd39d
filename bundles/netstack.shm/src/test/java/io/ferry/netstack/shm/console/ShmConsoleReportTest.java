package io.ferry.netstack.shm.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmListener;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.netstack.shm.server.ShmServerSnapshot;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code shm:clients}, {@code shm:channels} and {@code shm:stats} print. */
class ShmConsoleReportTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    @Test
    void shouldListClientsAndChannelsWithFillLevelsAndWakeupsFromALiveServer() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        EventLoopWorker worker = new EventLoopWorker(0, "console-test", new EpollDriverFactory().create());
        worker.start();
        try {
            Path socket = temp.resolve("ferry").resolve("shm.sock");
            CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
            worker.center().execute(() -> {
                try {
                    f.complete(ShmControlServer.start(worker.center(),
                            ShmControlServer.Config.defaults(socket).withRingCapacity(64 << 10)));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            try (ShmControlServer server = f.get(10, TimeUnit.SECONDS);
                    ShmClient a = ShmClient.connect(socket, TIMEOUT);
                    ShmClient b = ShmClient.connect(socket, TIMEOUT)) {
                ShmListener listener = a.listen("echo");
                ShmSocket out = b.connect("echo");
                ShmSocket in = listener.accept(TIMEOUT);
                assertNotNull(in);
                // 16 KiB waiting in the connector's ring: a quarter of 64 KiB.
                assertEquals(16 << 10, out.write(ByteBuffer.allocateDirect(16 << 10)));

                ShmServerSnapshot snapshot = server.snapshot();
                String clients = ShmConsoleReport.clients(snapshot);
                String pid = Long.toString(ProcessHandle.current().pid());
                assertTrue(clients.startsWith("client"), clients);
                assertTrue(clients.contains(pid) && clients.contains("echo") && clients.endsWith("2 client(s)\n"), clients);

                String channels = ShmConsoleReport.channels(snapshot);
                assertTrue(channels.contains("64 KiB"), channels);
                assertTrue(channels.contains("16384 (25%)"), "the connector's ring is a quarter full:\n" + channels);
                assertTrue(channels.contains("1 channel(s)"), channels);

                String stats = ShmConsoleReport.stats(new ShmConsoleReport.Stats(socket.toString(), server.liveClients(),
                        server.liveChannels(), server.acceptedCount(), server.refusedCount(), server.malformedCount(),
                        server.timedOutCount(), server.helloCompletedCount(), server.channelsOpenedCount(),
                        server.channelsResetCount(), server.refusedConnectCount(), server.controlOverflowCount(),
                        List.copyOf(server.listenerNames()), 0));
                assertTrue(stats.contains(socket.toString()), stats);
                assertTrue(stats.lines().anyMatch(l -> l.startsWith("clients connected") && l.endsWith(" 2")), stats);
                assertTrue(stats.lines().anyMatch(l -> l.startsWith("channels opened") && l.endsWith(" 1")), stats);
                assertTrue(stats.lines().anyMatch(l -> l.startsWith("listeners") && l.endsWith("echo")), stats);
                in.close();
                out.close();
            }
        } finally {
            worker.stop(5_000);
        }
    }

    @Test
    void shouldShowRingFillAsBytesAndPercentAndFlagImpossibleValues() {
        assertEquals("0 (0%)", ShmConsoleReport.fill(0, 131072));
        assertEquals("131072 (100%)", ShmConsoleReport.fill(131072, 131072));
        assertEquals("32768 (25%)", ShmConsoleReport.fill(32768, 131072));
        // A hostile side can write anything into its index: shown, never trusted.
        assertEquals("-5 (invalid)", ShmConsoleReport.fill(-5, 4096));
        assertEquals("9999 (invalid)", ShmConsoleReport.fill(9999, 4096));
    }

    @Test
    void shouldRenderClosedSidesAndAnEmptyServer() {
        ShmServerSnapshot snapshot = new ShmServerSnapshot(
                List.of(new ShmServerSnapshot.ClientInfo(3, 4242, 1000, true, 1, List.of())),
                List.of(new ShmServerSnapshot.ChannelInfo("ferry-shm-7", 4096, "client 3 (pid 4242)", "node", true, false,
                        64, 0, 5, 2)));
        String channels = ShmConsoleReport.channels(snapshot);
        List<String> lines = channels.lines().toList();
        assertTrue(lines.get(0).startsWith("channel"), channels);
        assertTrue(lines.get(1).contains("ferry-shm-7") && lines.get(1).contains("node (closed)")
                && lines.get(1).contains("64 (2%)") && lines.get(1).contains("4 KiB"), channels);
        String clients = ShmConsoleReport.clients(snapshot);
        assertTrue(clients.lines().toList().get(1).matches("\\s*3\\s+4242\\s+1000\\s+yes\\s+1\\s+-"), clients);
        ShmServerSnapshot empty = new ShmServerSnapshot(List.of(), List.of());
        assertEquals("client  pid  uid  hello  channels  listening on\n0 client(s)\n", ShmConsoleReport.clients(empty));
    }
}
