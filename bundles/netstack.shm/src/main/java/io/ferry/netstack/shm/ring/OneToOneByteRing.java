package io.ferry.netstack.shm.ring;

import java.nio.ByteBuffer;

/**
 * A single-producer single-consumer byte ring in shared memory, laid out by
 * {@link StreamRingDescriptor}: the two ends are separate views, {@link ByteRingProducer} and
 * {@link ByteRingConsumer}, usually in different processes, each attached to its own mapping of
 * the same region. This class holds the result codes and the factories.
 *
 * <h2>Threading contract</h2>
 * One thread at a time drives the producer view and one thread at a time drives the consumer view
 * (hand a view over to another thread only through a happens-before edge, such as an executor
 * hand-off). The producer writes only the producer half and the data bytes it has not published;
 * the consumer writes only the consumer half. Nothing else is shared, so no lock and no CAS is
 * needed.
 *
 * <h2>Memory ordering</h2>
 * <ul>
 *   <li><b>Data.</b> The producer copies bytes into the data area and then publishes them with a
 *       <em>release</em> store of {@code WRITE_INDEX}; the consumer loads {@code WRITE_INDEX} with
 *       <em>acquire</em> before reading the bytes, so it never sees a byte older than the index
 *       says. Symmetrically the consumer frees space with a release store of {@code READ_INDEX}
 *       after its last read of the bytes, and the producer acquires {@code READ_INDEX} before
 *       overwriting them. Release/acquire is enough here: it is a one-way message each time.
 *       The producer re-loads {@code READ_INDEX} only when the value it saw last leaves too little
 *       room for a write (a stale value only understates the free space), so that a busy ring
 *       does not pull the consumer's cache line over on every message.</li>
 *   <li><b>Wake-ups.</b> Going to sleep is a two-variable race (Dekker's): the waiter stores
 *       "I am waiting" and then loads the index; the waker stores the index and then loads
 *       "is anyone waiting". Release stores and acquire loads do not order a store before a later
 *       load (store buffers on x86 do exactly this reordering), so both sides can read the old
 *       value of the other's variable: the waker sees "nobody waiting" and skips the eventfd, the
 *       waiter sees "no data" and sleeps — a lost wake-up that hangs the channel until the next
 *       write. Both sides therefore put a <em>full fence</em> ({@link
 *       java.lang.invoke.VarHandle#fullFence()}) between their store and their load; with it at
 *       least one of them sees the other's store. The waiter also announces first and re-checks
 *       after the fence: checking for data before announcing (as OpenPerf's consumer does before
 *       draining its eventfd) leaves a window no fence can close.</li>
 * </ul>
 *
 * <h2>Sleeping and waking (the channel layer's part)</h2>
 * <pre>
 * consumer, ring found empty:                 producer, after commit / write:
 *   n = consumer.announceWaitingForData()       if (producer.needsConsumerWakeup())
 *   if n != 0: keep reading (flag withdrawn)       if eventfd_write(dataFd, 1) fails:
 *   else: wait in epoll/read on dataFd                 producer.consumerWakeupFailed()
 *   on wake: consumer.markAwake()
 *            v = eventfd_read(dataFd)
 *            consumer.dataDoorbellDrained(v)
 * </pre>
 * and the same with the roles swapped for a producer blocked on a full ring
 * ({@link ByteRingProducer#announceWaitingForSpace()}, {@link
 * ByteRingConsumer#needsProducerWakeup()} after {@code read}/{@code release}). The doorbell is
 * written only when the peer announced it is waiting <em>and</em> the doorbell's counters say
 * nothing is pending in the eventfd, so a busy peer costs no system call at all.
 *
 * <h2>Hostile peers</h2>
 * The peer may write anything into shared memory at any time. Each view keeps its own index and
 * counters privately and never reads them back; it reads only the peer's index, counters and
 * flag, and checks every index it reads: in {@code [0, 2*capacity)}, moved only forward, and
 * never implying more than {@code capacity} readable bytes. A violation makes the operation return
 * {@link #RING_CORRUPT} and the view stays corrupt (every later operation returns it too); the
 * channel layer closes that channel. No operation reads or writes outside the region whatever the
 * peer writes, and none throws for it. Hostile counters or flags can only cost the peer its own
 * wake-ups or cost this side one eventfd write per commit. Bytes in the data area are as
 * untrusted as any input: a zero-copy reader must copy a field before validating it if the peer
 * could change it in between.
 *
 * <h2>Return codes</h2>
 * Operations return a count of bytes ({@code 0} when the ring is full or empty, never an
 * exception for flow control) or {@link #RING_CORRUPT}. They allocate nothing. Misuse by the
 * caller (a negative length, committing more than was claimed) is a programming error and throws
 * {@link IllegalArgumentException}.
 */
public final class OneToOneByteRing {

    /** Returned by every operation once an index read from shared memory has been found invalid. */
    public static final int RING_CORRUPT = -1;

    /** {@link ByteRingProducer#writable()} is rounded down to a multiple of this (as OpenPerf). */
    public static final int WRITE_ALIGNMENT = 32;

    private OneToOneByteRing() {
    }

    /**
     * Formats {@code region} as an empty ring of {@code capacity} bytes (see
     * {@link StreamRingDescriptor#initialize(ByteBuffer, int)}).
     */
    public static void initialize(ByteBuffer region, int capacity) {
        StreamRingDescriptor.initialize(region, capacity);
    }

    /**
     * Attaches the producer end to an initialized ring. Setup, not hot path.
     *
     * @param region the ring's region (index 0 = descriptor), direct, writable, 64-byte aligned;
     *     the view works on its own duplicates, so the caller's position and limit do not matter
     * @throws IllegalArgumentException if the descriptor or the indexes found there are invalid
     */
    public static ByteRingProducer producer(ByteBuffer region) {
        return new ByteRingProducer(region);
    }

    /**
     * Attaches the consumer end to an initialized ring. Setup, not hot path.
     *
     * @param region as for {@link #producer(ByteBuffer)}
     * @throws IllegalArgumentException if the descriptor or the indexes found there are invalid
     */
    public static ByteRingConsumer consumer(ByteBuffer region) {
        return new ByteRingConsumer(region);
    }

    /** @return {@code (to - from) mod twoCapacity}, for indexes already known to be in range. */
    static long distance(long from, long to, long twoCapacity) {
        long d = to - from;
        return d < 0 ? d + twoCapacity : d;
    }
}
