package io.ferry.netstack.shm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmListener;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client process killed with SIGKILL while it writes into a channel: the server sees the
 * hang-up of its control socket, closes the dead client's side of the channel for it (the
 * surviving reader gets the bytes written before the kill, then end of stream), and every
 * descriptor and mapping the channel and the client held is released once the survivor closes
 * its socket. Other clients of the same server carry on exchanging data throughout.
 */
class ClientKilledMidWriteTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldReclaimTheChannelOfAClientKilledMidWriteWhileOthersCarryOn() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        try (ServerFixture fixture = ServerFixture.start(
                ShmControlServer.Config.defaults(temp.resolve("ferry").resolve("shm.sock")).withRingCapacity(64 << 10));
                ShmClient sink = ShmClient.connect(fixture.socketPath(), TIMEOUT);
                ShmClient left = ShmClient.connect(fixture.socketPath(), TIMEOUT);
                ShmClient right = ShmClient.connect(fixture.socketPath(), TIMEOUT)) {
            ShmControlServer server = fixture.server();
            // Two bystanders with a connection of their own.
            ShmListener bystanders = right.listen("bystander");
            ShmSocket l = left.connect("bystander");
            ShmSocket r = bystanders.accept(TIMEOUT);
            assertNotNull(r, "bystander connection");
            exchange(l, r, 1);
            ShmListener listener = sink.listen("sink");
            ProcessResources before = ProcessResources.now();
            int clientsBefore = server.liveClients();
            int channelsBefore = server.liveChannels();

            try (ChildJvm child = ChildJvm.start("writer", fixture.socketPath().toString(), "sink")) {
                child.awaitLine(30_000, "connected");
                ShmSocket in = listener.accept(TIMEOUT);
                assertNotNull(in, "the child's connection");
                in.setTimeoutNanos(TIMEOUT);
                assertEquals(clientsBefore + 1, server.liveClients());
                assertEquals(channelsBefore + 1, server.liveChannels());
                // Read until the child is surely in the middle of its writes (the ring is full again behind us).
                ByteBuffer buf = ByteBuffer.allocateDirect(64 << 10);
                long received = 0;
                while (received < (4 << 20)) {
                    buf.clear();
                    int n = in.read(buf);
                    assertTrue(n > 0, "read from a live writer: " + n);
                    received += n;
                }
                child.kill();

                // The survivor drains what was written, then sees the end (never a hang: reads are bounded).
                int n;
                long afterKill = 0;
                do {
                    buf.clear();
                    n = in.read(buf);
                    if (n > 0) {
                        afterKill += n;
                    }
                } while (n > 0);
                assertTrue(n == 0 || n == -Errno.ECONNRESET || n == -Errno.EPIPE,
                        "end of stream after the writer died, got " + n + " after " + afterKill + " more bytes");
                assertTrue(afterKill <= (64 << 10), "at most one ring's worth after the kill: " + afterKill);
                ProcessResources.await(() -> server.liveClients() == clientsBefore, "the server to drop the dead client");

                // The bystanders never noticed.
                exchange(l, r, 1000);

                in.close();
                sink.processControlMessages();
                ProcessResources.await(() -> server.liveChannels() == channelsBefore, "the server to free the channel");
                ProcessResources after = ProcessResources.awaitBackTo(before, "after the writer's death and the reader's close");
                assertTrue(after.backTo(before), after + " vs " + before);
                assertTrue(ProcessResources.devShmFerryFiles().stream().noneMatch(f -> f.contains("-" + child.pid() + "-")),
                        "no /dev/shm file of the dead client");
                assertEquals(1, server.snapshot().channels().size(), "only the bystanders' channel is left: " + server.snapshot());
                System.out.printf("killed writer pid %d after %,d bytes; survivor read %,d more, then %d; resources %s -> %s%n",
                        child.pid(), received, afterKill, n, before, after);
            }
            exchange(l, r, 100);
            l.close();
            r.close();
        }
    }

    /** Sends {@code rounds} 1 KiB messages each way between two sockets (blocking, bounded). */
    static void exchange(ShmSocket a, ShmSocket b, int rounds) {
        a.setTimeoutNanos(TIMEOUT);
        b.setTimeoutNanos(TIMEOUT);
        ByteBuffer out = ByteBuffer.allocateDirect(1024);
        ByteBuffer in = ByteBuffer.allocateDirect(1024);
        for (int i = 0; i < rounds; i++) {
            for (int dir = 0; dir < 2; dir++) {
                ShmSocket from = dir == 0 ? a : b;
                ShmSocket to = dir == 0 ? b : a;
                out.clear();
                for (int k = 0; k < out.capacity(); k++) {
                    out.put(k, (byte) (i + k + dir));
                }
                assertEquals(1024, from.write(out), "write");
                in.clear();
                while (in.hasRemaining()) {
                    int n = to.read(in);
                    assertTrue(n > 0, "read " + n);
                }
                for (int k = 0; k < in.capacity(); k++) {
                    assertEquals((byte) (i + k + dir), in.get(k), "byte " + k + " of round " + i);
                }
            }
        }
    }
}
