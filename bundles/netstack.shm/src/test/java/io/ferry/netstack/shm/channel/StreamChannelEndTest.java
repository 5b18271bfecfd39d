package io.ferry.netstack.shm.channel;

import static io.ferry.netstack.shm.channel.ChannelTestSupport.eventfdCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import io.ferry.unix.SharedMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour of one channel: EAGAIN, EOF and half-close, close, EPROTO, polling, wake-ups, timeouts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamChannelEndTest {

    private static final int CAPACITY = 4096;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private StreamChannelPair pair;
    private StreamChannelEnd a;
    private StreamChannelEnd b;

    @BeforeEach
    void open() throws Exception {
        pair = StreamChannelPair.create(CAPACITY);
        a = pair.a();
        b = pair.b();
    }

    @AfterEach
    void closeBoth() {
        a.close();
        b.close();
    }

    @Test
    void shouldReturnEagainWhenEmptyAndWhenFull() {
        assertEquals(-Errno.EAGAIN, b.read(ByteBuffer.allocate(10)));
        ByteBuffer big = ByteBuffer.allocate(3 * CAPACITY);
        assertEquals(CAPACITY, a.write(big));
        assertEquals(-Errno.EAGAIN, a.write(big));
        assertEquals(2 * CAPACITY, big.remaining());
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertEquals(100, b.read(dst));
        // 100 bytes free: the writable count is rounded down to 32.
        assertEquals(96, a.write(big));
    }

    @Test
    void shouldDeliverRemainingBytesThenEofAfterHalfCloseAndStillWriteBack() {
        assertEquals(5, a.write(ascii("hello")));
        assertEquals(0, a.shutdownOutput());
        assertEquals(0, a.shutdownOutput(), "idempotent");
        assertEquals(-Errno.EPIPE, a.write(ascii("more")));

        ByteBuffer dst = ByteBuffer.allocate(3);
        assertEquals(3, b.read(dst));
        dst = ByteBuffer.allocate(10);
        assertEquals(2, b.read(dst));
        assertEquals(0, b.read(ByteBuffer.allocate(10)), "EOF");
        assertEquals(0, b.read(ByteBuffer.allocate(10), SECOND), "EOF, also blocking, at once");

        // The reader's direction is still open.
        assertEquals(5, b.write(ascii("reply")));
        ByteBuffer reply = ByteBuffer.allocate(5);
        assertEquals(5, a.read(reply, SECOND));
        assertArrayEquals("reply".getBytes(StandardCharsets.US_ASCII), reply.array());
    }

    @Test
    void shouldWakeABlockedReaderWithEofWhenThePeerShutsDown() throws Exception {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> b.read(ByteBuffer.allocate(8), 10 * SECOND));
        Thread.sleep(50);
        assertFalse(read.isDone());
        assertEquals(0, a.shutdownOutput());
        assertEquals(0, read.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldGiveEpipeToWriterAndEofAfterDrainingWhenPeerCloses() {
        assertEquals(6, a.write(ascii("abcdef")));
        assertEquals(4, b.write(ascii("wxyz")));
        a.close();
        assertTrue(a.isClosed());
        assertEquals(-Errno.EBADF, a.write(ascii("x")));
        assertEquals(-Errno.EBADF, a.read(ByteBuffer.allocate(4)));

        assertEquals(-Errno.EPIPE, b.write(ascii("late")));
        ByteBuffer dst = ByteBuffer.allocate(16);
        assertEquals(6, b.read(dst));
        assertEquals(0, b.read(ByteBuffer.allocate(16)));
        assertEquals(-Errno.EPIPE, b.write(ascii("late"), SECOND));
    }

    @Test
    void shouldWakeAWriterBlockedOnAFullRingWhenThePeerCloses() throws Exception {
        assertEquals(CAPACITY, a.write(ByteBuffer.allocate(CAPACITY)));
        CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> a.write(ByteBuffer.allocate(64), 10 * SECOND));
        Thread.sleep(50);
        assertFalse(write.isDone());
        b.close();
        assertEquals(-Errno.EPIPE, write.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldWakeABlockedWriterThroughTheSpaceEventfd() throws Exception {
        a.setSpinNanos(0);
        assertEquals(CAPACITY, a.write(ByteBuffer.allocate(CAPACITY)));
        CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> a.write(ByteBuffer.allocate(1000), 10 * SECOND));
        Thread.sleep(50);
        assertFalse(write.isDone());
        ByteBuffer dst = ByteBuffer.allocate(CAPACITY);
        assertEquals(CAPACITY, b.read(dst));
        assertEquals(1000, write.get(5, TimeUnit.SECONDS));
        assertEquals(1, b.spaceWakeupsSent(), "one eventfd write for one sleep");
        assertEquals(1, a.sleeps());
    }

    @Test
    void shouldWakeAReaderSleepingInTheKernelPromptlyAndBurnLittleCpuWhileIdle() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "no thread CPU time on this JVM");
        // Warm up on the reader's side (JNA, scratch memory, JIT of the wait) with one short wake-up.
        assertEquals(-Errno.EAGAIN, b.read(ByteBuffer.allocate(8), TimeUnit.MILLISECONDS.toNanos(1)));
        long[] result = new long[3]; // return time, thread CPU spent, read result
        Thread reader = new Thread(() -> {
            long cpu = threads.getCurrentThreadCpuTime();
            result[2] = b.read(ByteBuffer.allocate(8), 10 * SECOND);
            result[0] = System.nanoTime();
            result[1] = threads.getCurrentThreadCpuTime() - cpu;
        }, "blocked-reader");
        long sleepsBefore = b.sleeps();
        long wakeupsBefore = a.dataWakeupsSent();
        reader.start();
        long deadline = System.nanoTime() + 5 * SECOND;
        while (b.sleeps() == sleepsBefore && System.nanoTime() < deadline) { // approximately current: fine here
            Thread.sleep(1);
        }
        assertEquals(sleepsBefore + 1, b.sleeps(), "the reader announced idle and went to sleep");
        long idleStart = System.nanoTime();
        Thread.sleep(200);
        long written = System.nanoTime();
        assertEquals(5, a.write(ascii("hello")));
        reader.join(5_000);
        assertFalse(reader.isAlive(), "reader not woken");
        assertEquals(5, result[2]);
        long latency = result[0] - written;
        long wall = result[0] - idleStart;
        System.out.printf("blocked reader: woken %d us after the write; %d us CPU over %d us idle%n",
                latency / 1000, result[1] / 1000, wall / 1000);
        assertEquals(1, a.dataWakeupsSent() - wakeupsBefore, "one eventfd write for the sleeping reader");
        // Generous bounds for a loaded machine; typically tens of microseconds and well under 1 ms CPU.
        assertTrue(latency < TimeUnit.MILLISECONDS.toNanos(100), "slow wake-up: " + latency);
        assertTrue(result[1] < wall / 10, "the wait burnt CPU: " + result[1] + " ns in " + wall + " ns");
    }

    @Test
    void shouldTimeOutWithEagain() {
        long start = System.nanoTime();
        assertEquals(-Errno.EAGAIN, b.read(ByteBuffer.allocate(8), TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(CAPACITY, a.write(ByteBuffer.allocate(CAPACITY)));
        start = System.nanoTime();
        assertEquals(-Errno.EAGAIN, a.write(ByteBuffer.allocate(8), TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(0, b.read(ByteBuffer.allocate(0)), "an empty destination reads 0");
        // After timeouts both sides still work and the stream is intact.
        assertEquals(CAPACITY, b.read(ByteBuffer.allocate(2 * CAPACITY), SECOND));
        assertEquals(8, a.write(ByteBuffer.allocate(8), SECOND));
    }

    @Test
    void shouldMakeReadFdReadableForDataAndEofAndWriteFdForSpace() throws Exception {
        assertEquals(0, eventfdCount(b.readFd()));
        // The reader is idle since creation: the first byte rings once.
        assertEquals(1, a.write(ByteBuffer.allocate(1)));
        assertEquals(1, eventfdCount(b.readFd()));
        assertEquals(1, a.write(ByteBuffer.allocate(1)));
        assertEquals(1, eventfdCount(b.readFd()), "already pending: skipped");
        assertEquals(2, b.read(ByteBuffer.allocate(8)));
        assertEquals(0, eventfdCount(b.readFd()), "the read drained it");
        assertEquals(-Errno.EAGAIN, b.read(ByteBuffer.allocate(8)));
        assertEquals(0, eventfdCount(b.readFd()));
        assertEquals(0, a.shutdownOutput());
        assertEquals(1, eventfdCount(b.readFd()), "EOF makes it readable");
        assertEquals(0, b.read(ByteBuffer.allocate(8)));

        // Space: a write that fills the ring announces at once (the pre-emptive block).
        assertEquals(CAPACITY, b.write(ByteBuffer.allocate(CAPACITY)));
        assertEquals(0, eventfdCount(b.writeFd()));
        assertEquals(16, a.read(ByteBuffer.allocate(16)));
        assertEquals(0, eventfdCount(b.writeFd()), "fewer than 32 bytes free: not worth a wake-up");
        assertEquals(48, a.read(ByteBuffer.allocate(48)));
        assertEquals(1, eventfdCount(b.writeFd()));
        assertEquals(64, b.write(ByteBuffer.allocate(100)));
        assertEquals(0, eventfdCount(b.writeFd()));
    }

    @Test
    void shouldSkipEventfdWritesWhileTheReaderIsBusyInAPingPong() throws Exception {
        int messages = 20_000;
        a.setBusyPoll(true);
        b.setBusyPoll(true);
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < messages; i++) {
                buf.clear();
                while (buf.hasRemaining()) {
                    if (b.read(buf, 10 * SECOND) <= 0) {
                        throw new AssertionError("echo read failed");
                    }
                }
                buf.flip();
                if (b.write(buf, 10 * SECOND) != 64) {
                    throw new AssertionError("echo write failed");
                }
            }
        });
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < messages; i++) {
            buf.clear().putInt(0, i);
            assertEquals(64, a.write(buf, 10 * SECOND));
            buf.clear();
            while (buf.hasRemaining()) {
                assertTrue(a.read(buf, 10 * SECOND) > 0);
            }
            assertEquals(i, buf.getInt(0));
        }
        echo.get(30, TimeUnit.SECONDS);
        long eventfdWrites = a.dataWakeupsSent() + b.dataWakeupsSent() + a.spaceWakeupsSent() + b.spaceWakeupsSent();
        System.out.printf("ping-pong %d messages each way: %d eventfd writes, %d skipped%n", messages, eventfdWrites,
                a.dataWakeupsSkipped() + b.dataWakeupsSkipped());
        assertTrue(eventfdWrites <= 2, "busy peers need no wake-up: " + eventfdWrites);
        assertEquals(messages, a.dataWakeupOpportunities());
        assertEquals(a.dataWakeupOpportunities(), a.dataWakeupsSent() + a.dataWakeupsSkipped());
    }

    @Test
    void shouldSendAtMostOneEventfdWritePerMessageInABlockingPingPong() throws Exception {
        int messages = 2_000;
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < messages; i++) {
                buf.clear();
                while (buf.hasRemaining()) {
                    if (b.read(buf, 10 * SECOND) <= 0) {
                        throw new AssertionError("echo read failed");
                    }
                }
                buf.flip();
                if (b.write(buf, 10 * SECOND) != 64) {
                    throw new AssertionError("echo write failed");
                }
            }
        });
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < messages; i++) {
            buf.clear();
            assertEquals(64, a.write(buf, 10 * SECOND));
            buf.clear();
            while (buf.hasRemaining()) {
                assertTrue(a.read(buf, 10 * SECOND) > 0);
            }
        }
        echo.get(30, TimeUnit.SECONDS);
        System.out.printf("blocking ping-pong %d messages: data eventfd writes %d + %d, sleeps %d + %d%n", messages,
                a.dataWakeupsSent(), b.dataWakeupsSent(), a.sleeps(), b.sleeps());
        // One write per sleep at most: never more eventfd writes than the peer slept (+1 for creation).
        assertTrue(a.dataWakeupsSent() <= b.sleeps() + 1, a.dataWakeupsSent() + " > " + b.sleeps());
        assertTrue(b.dataWakeupsSent() <= a.sleeps() + 1, b.dataWakeupsSent() + " > " + a.sleeps());
        assertEquals(a.dataWakeupOpportunities(), a.dataWakeupsSent() + a.dataWakeupsSkipped());
    }

    @Test
    void shouldTurnAHostileWriteIndexIntoEprotoAndBreakTheChannel() {
        assertEquals(8, a.write(ByteBuffer.allocate(8)));
        ByteBuffer mem = pair.memory().buffer().order(ByteOrder.LITTLE_ENDIAN);
        int ringAB = StreamChannelDescriptor.ringOffset(CAPACITY, StreamChannelDescriptor.SIDE_A);
        mem.putLong(ringAB + StreamRingDescriptor.WRITE_INDEX_OFFSET, 3L * CAPACITY); // out of [0, 2*capacity)

        assertEquals(-Errno.EPROTO, b.read(ByteBuffer.allocate(16)));
        assertTrue(b.isBroken());
        assertEquals(-Errno.EPROTO, b.read(ByteBuffer.allocate(16)), "sticky");
        assertEquals(-Errno.EPROTO, b.write(ByteBuffer.allocate(16)), "the whole channel is broken");
        assertEquals(-Errno.EPROTO, b.shutdownOutput());
        assertEquals(Errno.EPROTO, mem.getInt(StreamChannelDescriptor.SIDE_B_STATE_OFFSET + StreamChannelDescriptor.ERROR_FIELD));
        // The other side sees B as closed.
        assertEquals(-Errno.EPIPE, a.write(ByteBuffer.allocate(16)));
    }

    @Test
    void shouldTurnAHostileReadIndexIntoEprotoForTheWriter() {
        assertEquals(64, a.write(ByteBuffer.allocate(64)));
        ByteBuffer mem = pair.memory().buffer().order(ByteOrder.LITTLE_ENDIAN);
        int ringAB = StreamChannelDescriptor.ringOffset(CAPACITY, StreamChannelDescriptor.SIDE_A);
        mem.putLong(ringAB + StreamRingDescriptor.READ_INDEX_OFFSET, 100); // past the write index
        // The writer re-reads READ_INDEX only when the room it saw last is not enough (it caches
        // the consumer's index, as Agrona does): a write that fits that room does not look.
        assertEquals(16, a.write(ByteBuffer.allocate(16)));
        assertFalse(a.isBroken());
        // One that needs more room loads the index, and finds it past the write index.
        assertEquals(-Errno.EPROTO, a.write(ByteBuffer.allocate(CAPACITY)));
        assertTrue(a.isBroken());
        assertEquals(-Errno.EPROTO, a.read(ByteBuffer.allocate(16), SECOND));
    }

    @Test
    void shouldRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> a.read(ByteBuffer.allocate(1), -1));
        assertThrows(IllegalArgumentException.class, () -> a.write(ByteBuffer.allocate(1), -1));
        assertThrows(IllegalArgumentException.class, () -> a.setSpinNanos(-1));
    }

    @Test
    void shouldFreeMappingsAndDescriptorsOver1000Cycles() throws Exception {
        // Warm up (JNA, thread-local scratch), then count.
        StreamChannelPair warmUp = StreamChannelPair.create(CAPACITY);
        warmUp.a().close();
        warmUp.b().close();
        int mappings = SharedMemory.liveMappings();
        long fds = ChannelTestSupport.openFds();
        for (int i = 0; i < 1000; i++) {
            StreamChannelPair p = StreamChannelPair.create(CAPACITY);
            assertEquals(4, p.a().write(ascii("ping")));
            if ((i & 1) == 0) {
                p.a().close();
                p.b().close();
            } else {
                p.b().close();
                p.a().close();
            }
        }
        assertEquals(mappings, SharedMemory.liveMappings());
        // The JVM itself may open a descriptor or two meanwhile (class loading, JIT logs); a leak
        // of this loop would be thousands (four eventfds and a memfd per cycle).
        long leaked = ChannelTestSupport.openFds() - fds;
        assertTrue(leaked <= 2, "descriptors leaked over 1000 cycles: " + leaked);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
