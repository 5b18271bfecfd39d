package io.ferry.netstack.shm.ring;

import io.ferry.testkit.BytePattern;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The two ends of the ring stress tests, shared by the two-thread and the two-process runs: a
 * producer that writes a deterministic byte pattern in pseudo-random lengths, and a consumer that
 * checks every byte in order, both through either the copying or the zero-copy API, and waiting
 * either by spinning or through the real doorbell protocol over {@link SimulatedEventfd}s.
 */
final class StressSupport {

    /** Which API moves the bytes. */
    enum Api { COPY, ZERO_COPY }

    /** How a side waits on a full / empty ring. */
    enum WaitMode { SPIN, DOORBELL }

    /** Longest wait without progress before a run is declared stuck. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(15);

    private StressSupport() {
    }

    /** @return the stress duration in ms: system property ferry.ring.stress.millis, default 2000. */
    static long stressMillis() {
        return Long.getLong("ferry.ring.stress.millis", 2000L);
    }

    /** The end of the stream, as the producer announces it to the consumer. */
    interface StreamEnd {
        /** Producer: all {@code total} bytes are committed. */
        void finish(long total);

        boolean finished();

        long total();

        /** Either side (or the test): stop as soon as possible. */
        void abort();

        boolean aborted();
    }

    /** A {@link StreamEnd} for two threads of one JVM. */
    static final class LocalEnd implements StreamEnd {
        private volatile long total = -1;
        private volatile boolean aborted;

        @Override
        public void finish(long t) {
            total = t;
        }

        @Override
        public boolean finished() {
            return total >= 0;
        }

        @Override
        public long total() {
            return total;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public boolean aborted() {
            return aborted;
        }
    }

    /** A {@link StreamEnd} in shared memory: {@code [0] long total+1 (0 = running), [8] int abort}. */
    static final class SharedEnd implements StreamEnd {
        static final int LENGTH = 64;
        private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private final ByteBuffer block;

        /** @param block 64 bytes, 8-aligned, zeroed by whoever created them */
        SharedEnd(ByteBuffer block) {
            this.block = block;
        }

        @Override
        public void finish(long t) {
            LONG.setVolatile(block, 0, t + 1);
        }

        @Override
        public boolean finished() {
            return (long) LONG.getVolatile(block, 0) != 0;
        }

        @Override
        public long total() {
            return (long) LONG.getVolatile(block, 0) - 1;
        }

        @Override
        public void abort() {
            INT.setVolatile(block, 8, 1);
        }

        @Override
        public boolean aborted() {
            return (int) INT.getVolatile(block, 8) != 0;
        }
    }

    /** Pseudo-random lengths: mostly small, some medium, some larger than the ring. */
    static int nextLength(SplittableRandom random, int capacity) {
        int pick = random.nextInt(10);
        if (pick < 5) {
            return 1 + random.nextInt(64);
        } else if (pick < 8) {
            return 1 + random.nextInt(2048);
        }
        return 1 + random.nextInt(2 * capacity);
    }

    /** The producing side. */
    static final class Producer {
        private final ByteRingProducer ring;
        private final BytePattern pattern;
        private final SplittableRandom random;
        private final Api api;
        private final WaitMode waitMode;
        private final SimulatedEventfd consumerDoorbell;
        private final SimulatedEventfd ownDoorbell;
        private final StreamEnd end;
        private final ByteBuffer scratch;
        long produced;
        long sleeps;
        private long lastProgress;

        Producer(ByteRingProducer ring, BytePattern pattern, long seed, Api api, WaitMode waitMode,
                 SimulatedEventfd consumerDoorbell, SimulatedEventfd ownDoorbell, StreamEnd end) {
            this.ring = ring;
            this.pattern = pattern;
            this.random = new SplittableRandom(seed);
            this.api = api;
            this.waitMode = waitMode;
            this.consumerDoorbell = consumerDoorbell;
            this.ownDoorbell = ownDoorbell;
            this.end = end;
            this.scratch = ByteBuffer.allocate(Math.max(2048, 2 * ring.capacity()));
        }

        /** Produces for {@code durationNanos}, then announces the total. */
        long run(long durationNanos) throws InterruptedException {
            long deadline = System.nanoTime() + durationNanos;
            lastProgress = System.nanoTime();
            while (System.nanoTime() - deadline < 0) {
                if (end.aborted()) {
                    return produced;
                }
                int len = nextLength(random, ring.capacity());
                if (api == Api.COPY) {
                    scratch.clear().limit(len);
                    pattern.fill(scratch, produced);
                    scratch.flip();
                    while (scratch.hasRemaining()) {
                        int k = ring.write(scratch);
                        if (!progress(k)) {
                            return produced;
                        }
                    }
                } else {
                    int n = ring.tryClaim(len);
                    if (n > 0) {
                        ByteBuffer b = ring.buffer();
                        int index = ring.claimIndex();
                        b.limit(index + n).position(index);
                        pattern.fill(b, produced);
                        b.clear();
                        ring.commit(n);
                    }
                    if (!progress(n)) {
                        return produced;
                    }
                }
            }
            end.finish(produced);
            wakeConsumer();
            return produced;
        }

        private boolean progress(int k) throws InterruptedException {
            if (k > 0) {
                produced += k;
                lastProgress = System.nanoTime();
                wakeConsumer();
                return true;
            }
            if (k < 0) {
                end.abort();
                throw new AssertionError("producer saw a corrupt ring: " + ring);
            }
            return awaitSpace();
        }

        private void wakeConsumer() {
            if (waitMode == WaitMode.DOORBELL && ring.needsConsumerWakeup()) {
                consumerDoorbell.write(1);
            }
        }

        /** @return false if the run was aborted. */
        private boolean awaitSpace() throws InterruptedException {
            if (waitMode == WaitMode.SPIN) {
                for (int spins = 0; ring.writable() == 0; spins++) {
                    if ((spins & 0x3F) == 0x3F) {
                        Thread.yield();
                        if (end.aborted()) {
                            return false;
                        }
                        stallCheck("producer spun on a full ring");
                    } else {
                        Thread.onSpinWait();
                    }
                }
                return true;
            }
            if (ring.announceWaitingForSpace() != 0) {
                return true;
            }
            while (!ownDoorbell.await(50, TimeUnit.MILLISECONDS)) {
                if (end.aborted()) {
                    ring.markAwake();
                    return false;
                }
                stallCheck("producer slept on its space doorbell (lost wake-up?)");
            }
            ring.markAwake();
            ring.spaceDoorbellDrained(ownDoorbell.drain());
            sleeps++;
            return true;
        }

        private void stallCheck(String what) {
            if (System.nanoTime() - lastProgress > STALL_NANOS) {
                end.abort();
                throw new AssertionError(what + " for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                        + " s; writable now " + ring.writable() + ", " + ring);
            }
        }
    }

    /** The consuming side: checks every byte against the pattern, in order. */
    static final class Consumer {
        private final ByteRingConsumer ring;
        private final BytePattern pattern;
        private final SplittableRandom random;
        private final Api api;
        private final WaitMode waitMode;
        private final SimulatedEventfd producerDoorbell;
        private final SimulatedEventfd ownDoorbell;
        private final StreamEnd end;
        private final ByteBuffer dst;
        long consumed;
        long sleeps;
        private long lastProgress;

        Consumer(ByteRingConsumer ring, BytePattern pattern, long seed, Api api, WaitMode waitMode,
                 SimulatedEventfd producerDoorbell, SimulatedEventfd ownDoorbell, StreamEnd end) {
            this.ring = ring;
            this.pattern = pattern;
            this.random = new SplittableRandom(seed);
            this.api = api;
            this.waitMode = waitMode;
            this.producerDoorbell = producerDoorbell;
            this.ownDoorbell = ownDoorbell;
            this.end = end;
            this.dst = ByteBuffer.allocate(Math.max(2048, 2 * ring.capacity()));
        }

        /** Consumes until the producer's announced total has arrived; every byte is checked. */
        long run() throws InterruptedException {
            lastProgress = System.nanoTime();
            while (true) {
                int len = nextLength(random, ring.capacity());
                int n;
                if (api == Api.COPY) {
                    dst.clear().limit(len);
                    n = ring.read(dst);
                    if (n > 0) {
                        dst.flip();
                        check(dst);
                    }
                } else {
                    n = ring.peek(len);
                    if (n > 0) {
                        ByteBuffer b = ring.buffer();
                        int index = ring.peekIndex();
                        b.limit(index + n).position(index);
                        check(b);
                        b.clear();
                        ring.release(n);
                    }
                }
                if (n > 0) {
                    consumed += n;
                    lastProgress = System.nanoTime();
                    if (waitMode == WaitMode.DOORBELL && ring.needsProducerWakeup()) {
                        producerDoorbell.write(1);
                    }
                    continue;
                }
                if (n < 0) {
                    end.abort();
                    throw new AssertionError("consumer saw a corrupt ring: " + ring);
                }
                if (end.finished()) {
                    long total = end.total();
                    if (consumed == total) {
                        return consumed;
                    }
                    if (consumed > total) {
                        end.abort();
                        throw new AssertionError("consumed " + consumed + " bytes but only " + total + " were produced");
                    }
                }
                if (end.aborted()) {
                    return consumed;
                }
                awaitData();
            }
        }

        private void check(ByteBuffer bytes) {
            long bad = pattern.mismatch(bytes, consumed);
            if (bad >= 0) {
                end.abort();
                int at = bytes.position() + (int) (bad - consumed);
                throw new AssertionError("byte at stream offset " + bad + " is " + bytes.get(at) + ", expected "
                        + pattern.byteAt(bad) + " (chunk of " + bytes.remaining() + " from " + consumed + "); " + ring);
            }
        }

        private void awaitData() throws InterruptedException {
            if (waitMode == WaitMode.SPIN) {
                for (int spins = 0; ring.readable() == 0 && !end.finished(); spins++) {
                    if ((spins & 0x3F) == 0x3F) {
                        Thread.yield();
                        if (end.aborted()) {
                            return;
                        }
                        stallCheck("consumer spun on an empty ring");
                    } else {
                        Thread.onSpinWait();
                    }
                }
                return;
            }
            if (ring.announceWaitingForData() != 0) {
                return;
            }
            if (end.finished()) {
                ring.markAwake();
                return;
            }
            while (!ownDoorbell.await(50, TimeUnit.MILLISECONDS)) {
                if (end.aborted()) {
                    ring.markAwake();
                    return;
                }
                stallCheck("consumer slept on its data doorbell (lost wake-up?)");
            }
            ring.markAwake();
            ring.dataDoorbellDrained(ownDoorbell.drain());
            sleeps++;
        }

        private void stallCheck(String what) {
            if (System.nanoTime() - lastProgress > STALL_NANOS) {
                end.abort();
                throw new AssertionError(what + " for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                        + " s; readable now " + ring.readable() + ", finished " + end.finished() + ", " + ring);
            }
        }
    }
}
