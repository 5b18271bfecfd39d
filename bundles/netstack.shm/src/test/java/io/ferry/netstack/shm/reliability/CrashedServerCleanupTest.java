package io.ferry.netstack.shm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmListener;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process killed with SIGKILL while clients hold connections and channels: the clients
 * see the hang-up and release everything; the socket file it left behind is removed by the next
 * server on the same path (which then serves normally), and nothing of the dead server remains
 * in {@code /dev/shm} (its segments were memfds, freed by the kernel with their last user).
 */
class CrashedServerCleanupTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldCleanUpAfterAServerKilledWithSigkill() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        Path socket = temp.resolve("ferry").resolve("shm.sock");
        ProcessResources before = ProcessResources.now();
        long deadServerPid;
        try (ChildJvm serverChild = ChildJvm.start("server", socket.toString())) {
            serverChild.awaitLine(30_000, "ready");
            deadServerPid = serverChild.pid();
            ShmClient a = ShmClient.connect(socket, TIMEOUT);
            ShmClient b = ShmClient.connect(socket, TIMEOUT);
            assertEquals(deadServerPid, a.serverPid());
            ShmListener listener = a.listen("x");
            ShmSocket out = b.connect("x");
            ShmSocket in = listener.accept(TIMEOUT);
            assertNotNull(in);
            out.setTimeoutNanos(TIMEOUT);
            in.setTimeoutNanos(TIMEOUT);
            assertEquals(3, out.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            assertEquals(3, in.read(ByteBuffer.allocate(8)));

            serverChild.kill();
            assertTrue(Files.exists(socket), "a killed server leaves its socket file behind");

            // The clients notice the hang-up (bounded) and free everything when closed.
            ProcessResources.await(() -> {
                a.processControlMessages();
                b.processControlMessages();
                return a.connectionError() != 0 && b.connectionError() != 0;
            }, "the clients to see the server's death");
            in.close();
            out.close();
            a.close();
            b.close();
        }
        ProcessResources.awaitBackTo(before, "after the clients of the dead server closed");
        assertTrue(ProcessResources.devShmFerryFiles().stream().noneMatch(f -> f.contains("-" + deadServerPid + "-")),
                "nothing of the dead server in /dev/shm: " + ProcessResources.devShmFerryFiles());

        // A new server on the same path removes the stale socket and serves.
        try (ServerFixture fixture = ServerFixture.start(ShmControlServer.Config.defaults(socket))) {
            assertTrue(fixture.logged(Level.INFO).stream().anyMatch(m -> m.contains("stale") && m.contains(socket.toString())),
                    "the removal is logged: " + fixture.logged(Level.INFO));
            try (ShmClient c = ShmClient.connect(socket, TIMEOUT); ShmClient d = ShmClient.connect(socket, TIMEOUT)) {
                assertNotEquals(deadServerPid, c.serverPid());
                ShmListener l = c.listen("x");
                ShmSocket s = d.connect("x");
                ShmSocket t = l.accept(TIMEOUT);
                assertNotNull(t);
                ClientKilledMidWriteTest.exchange(s, t, 10);
                s.close();
                t.close();
            }
        }
        assertTrue(Files.notExists(socket), "the new server unlinks its socket when it stops");
        ProcessResources.awaitBackTo(before, "after the new server stopped");
    }
}
