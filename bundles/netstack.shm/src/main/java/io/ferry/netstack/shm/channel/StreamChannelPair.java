package io.ferry.netstack.shm.channel;

import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.SIDE_A;
import static io.ferry.netstack.shm.channel.StreamChannelDescriptor.SIDE_B;

import io.ferry.unix.EventFd;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.UnixException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates both ends of a stream channel in this process: one {@link SharedMemory} region formatted
 * by {@link StreamChannelDescriptor} and four eventfds (per direction a <em>data</em> eventfd the
 * reader polls and a <em>space</em> eventfd the writer waits on, so that each eventfd is written
 * through one set of ring counters only). The memory and the eventfds are shared by the two ends
 * and released when the second end is closed. A cross-process channel attaches each end with
 * {@link StreamChannelEnd#attach} to its own mapping and its own copies of the eventfds instead.
 *
 * <p><b>Threading.</b> {@link #create(int)} may be called from any thread; hand each end to the
 * thread that uses it (thread start, an executor, a queue: any happens-before edge).
 *
 * @param a side A (produces ring A -&gt; B)
 * @param b side B (produces ring B -&gt; A)
 * @param memory the shared region both ends use (valid until both ends are closed)
 */
public record StreamChannelPair(StreamChannelEnd a, StreamChannelEnd b, SharedMemory memory) {

    /**
     * Creates a channel with rings of {@code ringCapacity} bytes each.
     *
     * @throws UnixException if the memory or an eventfd cannot be created; nothing is leaked
     * @throws IllegalArgumentException if the capacity is outside the ring's limits
     */
    public static StreamChannelPair create(int ringCapacity) throws UnixException {
        int size = StreamChannelDescriptor.sizeFor(ringCapacity);
        SharedMemory memory = SharedMemory.create("ferry-stream-channel", size);
        EventFd[] fds = new EventFd[4]; // data A->B, space A->B, data B->A, space B->A
        try {
            for (int i = 0; i < fds.length; i++) {
                fds[i] = EventFd.create();
            }
            ByteBuffer region = memory.buffer();
            StreamChannelDescriptor.initialize(region, ringCapacity);
            Shared shared = new Shared(memory, fds);
            EventFd dataAB = fds[0];
            EventFd spaceAB = fds[1];
            EventFd dataBA = fds[2];
            EventFd spaceBA = fds[3];
            StreamChannelEnd a = StreamChannelEnd.attach(region, SIDE_A,
                    new StreamChannelEnd.Doorbells(dataBA, spaceAB, dataAB, spaceBA), shared);
            StreamChannelEnd b = StreamChannelEnd.attach(region, SIDE_B,
                    new StreamChannelEnd.Doorbells(dataAB, spaceBA, dataBA, spaceAB), shared);
            return new StreamChannelPair(a, b, memory);
        } catch (UnixException | RuntimeException e) {
            for (EventFd fd : fds) {
                if (fd != null) {
                    fd.close();
                }
            }
            memory.close();
            throw e;
        }
    }

    /** The memory and eventfds of one in-process channel, released when both ends have closed. */
    private static final class Shared implements AutoCloseable {
        private final AtomicInteger references = new AtomicInteger(2);
        private final SharedMemory memory;
        private final EventFd[] fds;

        Shared(SharedMemory memory, EventFd[] fds) {
            this.memory = memory;
            this.fds = fds;
        }

        @Override
        public void close() {
            if (references.decrementAndGet() == 0) {
                for (EventFd fd : fds) {
                    fd.close();
                }
                memory.close();
            }
        }
    }
}
