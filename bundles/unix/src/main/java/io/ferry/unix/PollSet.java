package io.ferry.unix;

import io.ferry.api.net.Errno;
import io.ferry.unix.internal.Addresses;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.MsgHdrDescriptor;
import java.nio.ByteBuffer;

/**
 * A reusable set of descriptors to wait on with a bounded timeout ({@code ppoll(2)}, nanosecond
 * resolution): a native {@code struct pollfd} array and a {@code struct timespec}, allocated
 * once when the set is made, so that {@link #poll(long)} allocates nothing. For one descriptor
 * without a set, see {@link Unix#poll(int, int, long)}.
 *
 * <pre>{@code
 * PollSet set = new PollSet(2);
 * int data = set.add(dataFd, Unix.POLLIN);
 * int space = set.add(spaceFd, Unix.POLLIN);
 * int n = set.poll(timeoutNanos);          // > 0 ready, 0 timeout, < 0 -errno
 * if (n > 0 && set.revents(data) != 0) ...
 * }</pre>
 *
 * <p><b>Threading.</b> A {@code PollSet} is used by <b>one thread at a time</b> (it is not
 * thread-safe: the entries and results are plain memory); hand it to another thread only through
 * a happens-before edge. Waking a thread blocked in {@link #poll(long)} is done through one of
 * its descriptors, typically by {@link EventFd#signal(long) signalling an eventfd} in the set.
 *
 * <p><b>Descriptors.</b> The set holds descriptor <em>numbers</em>, owns none and closes none.
 * Do not close a descriptor while a thread waits on it (Linux does not wake the waiter, and the
 * number may be reused); a descriptor closed before the call reports {@link Unix#POLLNVAL}. An entry
 * with a negative descriptor is ignored by the kernel (its {@link #revents(int)} stays 0).
 *
 * <p><b>Errors.</b> {@link #poll(long)} never throws: it returns a count or a negative errno.
 * The constructor and {@link #add}/{@link #set} throw {@link IllegalArgumentException} or
 * {@link IllegalStateException} for caller bugs. A set needs no closing: its native memory is a
 * direct buffer, freed with the object.
 */
public final class PollSet {
    /** Most descriptors per set: a sanity bound, far below {@code RLIMIT_NOFILE}. */
    public static final int MAX_CAPACITY = 4096;

    private final int capacity;
    private final ByteBuffer memory;
    private final long base;
    private final int timespecOffset;
    private int size;

    /**
     * @param capacity how many descriptors the set can hold, 1 to {@link #MAX_CAPACITY}
     * @throws IllegalArgumentException for a capacity out of range
     */
    public PollSet(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1.." + MAX_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
        this.timespecOffset = capacity * MsgHdrDescriptor.POLLFD_SIZE; // a multiple of 8
        this.memory = Addresses.allocate(timespecOffset + MsgHdrDescriptor.TIMESPEC_SIZE);
        this.base = Addresses.address(memory);
    }

    /**
     * Appends a descriptor.
     *
     * @param fd the descriptor (negative: an entry the kernel ignores)
     * @param events {@link Unix#POLLIN}, {@link Unix#POLLOUT} or both ({@code POLLERR},
     *     {@code POLLHUP} and {@code POLLNVAL} are always reported)
     * @return the entry's index, for {@link #revents(int)} and {@link #set(int, int, int)}
     * @throws IllegalStateException if the set is full
     */
    public int add(int fd, int events) {
        if (size == capacity) {
            throw new IllegalStateException("poll set full: " + capacity);
        }
        int index = size++;
        set(index, fd, events);
        return index;
    }

    /**
     * Replaces entry {@code index} (below {@link #size()}) and clears its result; no allocation.
     *
     * @throws IndexOutOfBoundsException for an index not below {@link #size()}
     */
    public void set(int index, int fd, int events) {
        int at = offset(index);
        memory.putInt(at + MsgHdrDescriptor.POLLFD_FD_OFFSET, fd);
        memory.putShort(at + MsgHdrDescriptor.POLLFD_EVENTS_OFFSET, (short) events);
        memory.putShort(at + MsgHdrDescriptor.POLLFD_REVENTS_OFFSET, (short) 0);
    }

    /** Removes every entry. */
    public void clear() {
        size = 0;
    }

    /** @return the number of entries. */
    public int size() {
        return size;
    }

    /** @return the most entries this set holds. */
    public int capacity() {
        return capacity;
    }

    /** @return entry {@code index}'s descriptor. */
    public int fd(int index) {
        return memory.getInt(offset(index) + MsgHdrDescriptor.POLLFD_FD_OFFSET);
    }

    /**
     * @return the events the last {@link #poll(long)} reported for entry {@code index} (0 if none,
     *     or after a timeout or an error)
     */
    public int revents(int index) {
        return memory.getShort(offset(index) + MsgHdrDescriptor.POLLFD_REVENTS_OFFSET) & 0xFFFF;
    }

    /**
     * Waits until at least one entry is ready or the timeout expires. Interruptions by a signal
     * ({@code EINTR}) are retried with the time that is left; {@link Thread#interrupt()} does
     * <em>not</em> end the wait (wake the thread through a descriptor in the set instead).
     * Allocates nothing.
     *
     * @param timeoutNanos at least 0; {@code 0} checks without waiting; {@link Long#MAX_VALUE}
     *     waits practically forever
     * @return the number of entries with non-zero {@link #revents(int)}, {@code 0} on timeout (or
     *     for an empty set once the timeout passed), or a negative errno: {@code -EINVAL} for a
     *     negative timeout, {@code -ENOMEM}, {@code -EOPNOTSUPP} where {@link Unix#isAvailable()}
     *     is false
     */
    public int poll(long timeoutNanos) {
        int n = waitFor(base, size, memory, timespecOffset, base + timespecOffset, timeoutNanos);
        if (n <= 0) {
            // The kernel leaves revents alone on some errors: never show a stale result.
            for (int i = 0; i < size; i++) {
                memory.putShort(i * MsgHdrDescriptor.POLLFD_SIZE + MsgHdrDescriptor.POLLFD_REVENTS_OFFSET, (short) 0);
            }
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("PollSet[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : ", ").append("fd ").append(fd(i)).append(" revents 0x")
                    .append(Integer.toHexString(revents(i)));
        }
        return b.append(']').toString();
    }

    private int offset(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return index * MsgHdrDescriptor.POLLFD_SIZE;
    }

    /**
     * The {@code ppoll} loop shared with {@link Unix#poll(int, int, long)}: fills the timespec
     * with what is left of the timeout, retries {@code EINTR}, allocates nothing.
     */
    static int waitFor(long fds, int nfds, ByteBuffer timespecMemory, int timespecOffset, long timespec,
            long timeoutNanos) {
        if (timeoutNanos < 0) {
            return -Errno.EINVAL;
        }
        if (!LibC.isAvailable()) {
            return -Errno.EOPNOTSUPP;
        }
        long start = System.nanoTime();
        long left = timeoutNanos;
        while (true) {
            timespecMemory.putLong(timespecOffset + MsgHdrDescriptor.TIMESPEC_SEC_OFFSET, left / 1_000_000_000L);
            timespecMemory.putLong(timespecOffset + MsgHdrDescriptor.TIMESPEC_NSEC_OFFSET, left % 1_000_000_000L);
            int n = LibC.ppoll(fds, nfds, timespec, 0L);
            if (n >= 0) {
                return n;
            }
            int errno = LibC.errno();
            if (errno != Errno.EINTR) {
                return -errno;
            }
            left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return 0;
            }
        }
    }
}
