package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.testkit.EventLoops;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression: a writer driven by WRITABLE events and a reader on another worker, through a small
 * ring, so that writes are short all the time and the reader frees space while the writer
 * copies. The socket used to go unwritable after every short write, but the end had announced
 * "waiting for space" only if the ring was still full when it checked: when the reader had freed
 * space in between, nobody ever rang and the writer stalled for good (seen as the messenger's
 * "no message within 30 s" over shm). A stall fails the bounded wait.
 */
class ShmStackShortWriteTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final long TOTAL = Long.getLong("ferry.shm.shortWriteBytes", 16L << 20);
    @RegisterExtension
    final RunningShmStack running = new RunningShmStack("shm-short");
    private ShmNetworkStack stack;

    @BeforeEach
    void takeTheRunningStack() {
        stack = running.stack();
    }

    private static byte patternAt(long i) {
        return (byte) (i % 251);
    }

    @Test
    void aWriterBlockedByShortWritesIsAlwaysWokenAgain() throws Exception {
        ServerSocket listener = stack.listen(ShmAddress.ephemeral(), SocketOptions.DEFAULT, stack.workers().get(1));
        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
        SocketOptions smallRing = SocketOptions.DEFAULT.withSendBufferSize(256);
        ConnectedSocket writer = stack.connect(listener.localAddress(), smallRing, stack.workers().get(0));
        ConnectedSocket reader = EventLoops.await(accepted, BOUND, "accepting");

        CompletableFuture<Long> read = new CompletableFuture<>();
        EventCenter readLoop = reader.worker().center();
        EventLoops.runAndWait(readLoop, () -> {
            ByteBuffer dst = ByteBuffer.allocate(96); // smaller than the ring: the reader frees space in steps
            long[] got = {0};
            FileEvent[] e = new FileEvent[1];
            e[0] = readLoop.createFileEvent(reader, EventMask.READABLE, m -> {
                while (true) {
                    dst.clear();
                    int n = reader.read(dst);
                    if (n == -Errno.EAGAIN) {
                        return;
                    }
                    if (n <= 0) {
                        e[0].cancel();
                        read.completeExceptionally(new AssertionError("read " + Errno.name(n) + " after " + got[0]));
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        if (dst.get(i) != patternAt(got[0] + i)) {
                            e[0].cancel();
                            read.completeExceptionally(new AssertionError("wrong byte at " + (got[0] + i)));
                            return;
                        }
                    }
                    got[0] += n;
                    if (got[0] == TOTAL) {
                        e[0].cancel();
                        read.complete(got[0]);
                        return;
                    }
                }
            });
        }, BOUND);

        CompletableFuture<Long> written = new CompletableFuture<>();
        EventCenter writeLoop = writer.worker().center();
        EventLoops.runAndWait(writeLoop, () -> {
            ByteBuffer src = ByteBuffer.allocate(1000); // larger than the ring: every write is short
            long[] sent = {0};
            src.limit(0);
            FileEvent[] e = new FileEvent[1];
            e[0] = writeLoop.createFileEvent(writer, EventMask.WRITABLE, m -> {
                while (sent[0] < TOTAL || src.hasRemaining()) {
                    if (!src.hasRemaining()) {
                        int chunk = (int) Math.min(src.capacity(), TOTAL - sent[0]);
                        src.clear().limit(chunk);
                        for (int i = 0; i < chunk; i++) {
                            src.put(i, patternAt(sent[0] + i));
                        }
                        sent[0] += chunk;
                    }
                    int n = writer.write(src);
                    if (n < 0) {
                        e[0].cancel();
                        written.completeExceptionally(new AssertionError("write " + Errno.name(n)));
                        return;
                    }
                    if (src.hasRemaining()) {
                        return; // short: wait for WRITABLE
                    }
                }
                e[0].cancel();
                written.complete(sent[0]);
            });
        }, BOUND);

        assertEquals(TOTAL, EventLoops.await(written, BOUND, "the writer never stalls"));
        assertEquals(TOTAL, EventLoops.await(read, BOUND, "every byte arrives"));
        writer.close();
        reader.close();
        listener.close();
    }
}
