package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.api.event.Worker;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.testkit.EventLoops;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression for the stall of the messenger over shm ("no message within 30 s", about one run in
 * five): a socket's descriptor showed "not writable" (or "not readable") while its channel end no
 * longer waited for the doorbell that was to lift it.
 *
 * <p>The socket blocks (descriptor dark, doorbell event armed) when the end returns
 * {@code -EAGAIN} after announcing that it waits. But a caller may call {@code write} while the
 * descriptor is dark — the messenger flushes an ack after every read, writable or not. That call
 * withdraws the announcement and drains the space doorbell the peer had just rung (the ring rule:
 * drain before the next announcement); when the write then succeeds without filling the ring, no
 * doorbell is pending and none will come, and the descriptor stayed unwritable for good. The
 * read side had the same hole (a read while "not readable" drains the data doorbell and returns
 * bytes, leaving more bytes behind a dark descriptor). Now any outcome other than {@code -EAGAIN}
 * lifts the block.
 *
 * <p>The first three tests reproduce it deterministically on one loop (both sockets on one worker,
 * every step in one task, so that no doorbell event can run in between; the third is the first
 * read of a new socket, which starts announced idle); the exchanges are messenger-like traffic on
 * one and on two workers that stalled within the first megabyte before.
 */
class ShmStackSwallowedDoorbellTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final long EXCHANGE_BYTES = Long.getLong("ferry.shm.swallowedDoorbellBytes", 2L << 20);
    private static final int SMALL_RING = 256;

    @RegisterExtension
    final RunningShmStack running = new RunningShmStack("shm-doorbell");
    private ShmNetworkStack stack;

    @BeforeEach
    void takeTheRunningStack() {
        stack = running.stack();
    }

    /** A connected pair: [0] connected on {@code connectWorker}, [1] accepted on {@code acceptWorker}. */
    /** A connected pair with small rings: the connecting end and the accepted one, and their listener. */
    private record Pair(ConnectedSocket connected, ConnectedSocket accepted, ServerSocket listener) {
        /** Closes each end on its own loop, then the listener. */
        void close() throws Exception {
            EventLoops.runAndWait(connected.worker().center(), connected::close, BOUND);
            EventLoops.runAndWait(accepted.worker().center(), accepted::close, BOUND);
            listener.close();
        }
    }

    private Pair pair(Worker connectWorker, Worker acceptWorker) throws Exception {
        ServerSocket listener = stack.listen(ShmAddress.ephemeral(), SocketOptions.DEFAULT, acceptWorker);
        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener,
                SocketOptions.DEFAULT.withSendBufferSize(SMALL_RING), acceptWorker, BOUND);
        ConnectedSocket connected = stack.connect(listener.localAddress(),
                SocketOptions.DEFAULT.withSendBufferSize(SMALL_RING), connectWorker);
        return new Pair(connected, EventLoops.await(accepted, BOUND, "accepting"), listener);
    }

    private static boolean pollable(ConnectedSocket s, int events) {
        return Unix.poll(s.fd(), events, 0) > 0;
    }

    @Test
    void aWriteWhileUnwritableThatSucceedsLeavesTheSocketWritable() throws Exception {
        Worker w = stack.workers().get(0);
        Pair p = pair(w, w);
        ConnectedSocket writer = p.connected();
        ConnectedSocket reader = p.accepted();
        EventLoops.runAndWait(w.center(), () -> {
            ByteBuffer big = ByteBuffer.allocate(4 * SMALL_RING);
            int n = writer.write(big);
            assertTrue(n > 0 && big.hasRemaining(), "a short write: " + n);
            assertEquals(0, writer.write(big), "the ring is full");
            assertTrue(!pollable(writer, Unix.POLLOUT), "blocked: the descriptor is not writable");

            ByteBuffer dst = ByteBuffer.allocate(4 * SMALL_RING);
            assertEquals(n, reader.read(dst), "the reader empties the ring and rings the writer's space doorbell");

            // The messenger's ack flush: a write while the descriptor is still dark. It drains the
            // doorbell the reader just rang and succeeds without filling the ring.
            assertEquals(10, writer.write(ByteBuffer.allocate(10)));
            assertTrue(pollable(writer, Unix.POLLOUT),
                    "writable again: no doorbell is pending any more, nothing else would ever lift the block");
        }, BOUND);
        EventLoops.runAndWait(w.center(), () -> {
            assertTrue(pollable(writer, Unix.POLLOUT), "still writable after the loop ran its events");
        }, BOUND);
        p.close();
    }

    @Test
    void aReadWhileUnreadableThatLeavesBytesBehindLeavesTheSocketReadable() throws Exception {
        Worker w = stack.workers().get(0);
        Pair p = pair(w, w);
        ConnectedSocket writer = p.connected();
        ConnectedSocket reader = p.accepted();
        EventLoops.runAndWait(w.center(), () -> {
            ByteBuffer dst = ByteBuffer.allocate(10);
            assertEquals(-Errno.EAGAIN, reader.read(dst));
            assertTrue(!pollable(reader, Unix.POLLIN), "blocked: the descriptor is not readable");

            assertEquals(100, writer.write(ByteBuffer.allocate(100)), "rings the reader's data doorbell");

            // A read while the descriptor is still dark drains that doorbell and takes 10 of 100 bytes.
            assertEquals(10, reader.read(dst));
            assertTrue(pollable(reader, Unix.POLLIN), "readable: 90 bytes wait behind a drained doorbell");
        }, BOUND);
        EventLoops.runAndWait(w.center(), () -> {
            assertTrue(pollable(reader, Unix.POLLIN), "still readable after the loop ran its events");
            ByteBuffer rest = ByteBuffer.allocate(200);
            assertEquals(90, reader.read(rest));
            assertEquals(-Errno.EAGAIN, reader.read(rest));
            assertTrue(!pollable(reader, Unix.POLLIN), "nothing left: not readable");
        }, BOUND);
        p.close();
    }

    @Test
    void aFirstReadBeforeAnyReadinessThatLeavesBytesBehindLeavesTheSocketReadable() throws Exception {
        Worker w = stack.workers().get(0);
        Pair p = pair(w, w);
        ConnectedSocket writer = p.connected();
        ConnectedSocket reader = p.accepted();
        EventLoops.runAndWait(w.center(), () -> {
            // A new end starts idle (announced, descriptor not readable): the first bytes ring it.
            assertTrue(!pollable(reader, Unix.POLLIN), "nothing sent yet: not readable");
            assertEquals(100, writer.write(ByteBuffer.allocate(100)));
            // Read before the loop turned that doorbell into readiness: the read drains it.
            ByteBuffer dst = ByteBuffer.allocate(10);
            assertEquals(10, reader.read(dst));
            assertTrue(pollable(reader, Unix.POLLIN), "readable: 90 bytes wait behind a drained doorbell");
        }, BOUND);
        EventLoops.runAndWait(w.center(), () -> {
            assertEquals(90, reader.read(ByteBuffer.allocate(200)));
        }, BOUND);
        p.close();
    }

    /**
     * Two peers on two workers, each streaming {@link #EXCHANGE_BYTES} to the other through
     * 256-byte rings, messenger-style: on every event each reads (until {@code -EAGAIN}, or stops
     * early now and then), then writes what it has pending whether or not the socket was reported
     * writable, but produces new bytes only on a WRITABLE event, and asks for WRITABLE while it has
     * more to send. Every byte is checked; a stall fails the bounded wait with
     * the sockets' state. On one worker one peer's handler rings the other's doorbell after the
     * loop collected its events and before the other's handler writes in the same turn: the old
     * code stalled there within milliseconds.
     */
    @Test
    void messengerStyleExchangeOnOneWorkerNeverStalls() throws Exception {
        exchange(stack.workers().get(0), stack.workers().get(0));
    }

    @Test
    void messengerStyleExchangeAcrossTwoWorkersNeverStalls() throws Exception {
        exchange(stack.workers().get(0), stack.workers().get(1));
    }

    private void exchange(Worker first, Worker second) throws Exception {
        Pair p = pair(first, second);
        Peer a = new Peer(p.connected(), 1);
        Peer b = new Peer(p.accepted(), 7);
        a.start();
        b.start();
        try {
            CompletableFuture.allOf(a.done, b.done).get(BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("stalled: a sent " + a.sent + " got " + a.received + ", b sent " + b.sent + " got "
                    + b.received + "\n" + String.join("\n", stack.describeOpenSockets()));
        }
        a.done.join();
        b.done.join();
        p.close();
    }

    private static byte patternAt(long i, int seed) {
        return (byte) ((i * seed) % 251);
    }

    /** One side of the exchange; all its state is touched on its socket's loop only. */
    private static final class Peer {
        final ConnectedSocket socket;
        final int seed;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final ByteBuffer out = ByteBuffer.allocate(173); // odd sizes: writes and reads split anywhere
        final ByteBuffer in = ByteBuffer.allocate(97);
        final java.util.Random random;
        volatile long sent;
        volatile long received;
        FileEvent event;

        Peer(ConnectedSocket socket, int seed) {
            this.socket = socket;
            this.seed = seed;
            this.random = new java.util.Random(seed);
            out.limit(0);
        }

        void start() throws Exception {
            EventCenter c = socket.worker().center();
            EventLoops.runAndWait(c, () -> {
                event = c.createFileEvent(socket, EventMask.READABLE | EventMask.WRITABLE, this::onEvent);
            }, BOUND);
        }

        private void onEvent(int mask) {
            try {
                if ((mask & EventMask.READABLE) != 0) {
                    readAll();
                }
                if ((mask & EventMask.WRITABLE) != 0) {
                    writeSome(); // new bytes are produced only when the socket says writable
                } else if (out.hasRemaining()) {
                    // ...but what is pending goes out after every event, writable or not, as the
                    // messenger flushes its outgoing bytes after each read
                    int n = socket.write(out);
                    if (n < 0) {
                        throw new AssertionError("write " + Errno.name(n));
                    }
                }
                int interest = EventMask.READABLE | (sent < EXCHANGE_BYTES || out.hasRemaining() ? EventMask.WRITABLE : 0);
                if (event.isActive() && event.mask() != interest) {
                    event.setMask(interest);
                }
                if (sent == EXCHANGE_BYTES && !out.hasRemaining() && received == EXCHANGE_BYTES) {
                    event.cancel();
                    done.complete(null);
                }
            } catch (Throwable t) {
                event.cancel();
                done.completeExceptionally(t);
            }
        }

        private void readAll() {
            int peerSeed = seed == 1 ? 7 : 1;
            while (true) {
                in.clear().limit(1 + random.nextInt(in.capacity()));
                int n = socket.read(in);
                if (n == -Errno.EAGAIN) {
                    return;
                }
                if (n <= 0) {
                    throw new AssertionError("read " + Errno.name(n) + " after " + received);
                }
                long at = received;
                for (int i = 0; i < n; i++) {
                    if (in.get(i) != patternAt(at + i, peerSeed)) {
                        throw new AssertionError("wrong byte at " + (at + i));
                    }
                }
                received = at + n;
                if (random.nextInt(8) == 0) {
                    return; // leave bytes behind now and then, as a throttled reader does
                }
            }
        }

        private void writeSome() {
            while (true) {
                if (!out.hasRemaining()) {
                    long left = EXCHANGE_BYTES - sent;
                    if (left == 0) {
                        return;
                    }
                    int chunk = (int) Math.min(1 + random.nextInt(out.capacity()), left);
                    out.clear().limit(chunk);
                    for (int i = 0; i < chunk; i++) {
                        out.put(i, patternAt(sent + i, seed));
                    }
                    sent += chunk;
                }
                int n = socket.write(out);
                if (n < 0) {
                    throw new AssertionError("write " + Errno.name(n));
                }
                if (out.hasRemaining()) {
                    return;
                }
            }
        }
    }
}
