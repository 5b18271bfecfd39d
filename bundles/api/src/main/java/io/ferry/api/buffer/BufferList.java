package io.ferry.api.buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte sequence made of segments, each a view of some memory, appended and consumed without
 * copying (Ceph's {@code bufferlist}). Segments backed by a {@link ReferenceCounted} owner hold one
 * reference each, dropped when the segment is consumed or the list is {@link #clear() cleared}.
 *
 * <p>The list, not the segment views, records where each segment's bytes start: a reader or a
 * gathering write may move a view's position (as NIO does), and only {@link #consume(long)} and
 * {@link #splice(long)} drop bytes. Every method reads from the recorded positions, and
 * {@link #segment(int)} and {@link #nioBuffers(ByteBuffer[])} reset the views they hand out to them.
 *
 * <p>Not thread-safe: one thread owns a list at a time. Hand it to another thread through an
 * event center's {@code execute}, and stop touching it.
 */
public final class BufferList {
    private static final int INITIAL_SEGMENTS = 4;
    /*
     * A new list shares these empty arrays and allocates its own on the first append: many lists
     * (a message's empty middle section, a splice's front that stays empty) never hold a segment.
     * Nothing is ever stored into them (every store is at an index below tail).
     */
    private static final ByteBuffer[] NO_SEGMENTS = new ByteBuffer[0];
    private static final ReferenceCounted[] NO_OWNERS = new ReferenceCounted[0];
    private static final int[] NO_STARTS = new int[0];

    private ByteBuffer[] segments = NO_SEGMENTS;
    private ReferenceCounted[] owners = NO_OWNERS;
    /** Where each segment's first unconsumed byte is; the views' own positions may have moved. */
    private int[] starts = NO_STARTS;
    private int head;
    private int tail;
    private long length;

    /** An empty list. */
    public BufferList() {
    }

    /** @return a list holding one unowned segment that views {@code bytes} (no copy). */
    public static BufferList wrap(byte[] bytes) {
        BufferList list = new BufferList();
        list.append(ByteBuffer.wrap(bytes));
        return list;
    }

    /** @return a list with the UTF-8 bytes of {@code text}. */
    public static BufferList ofUtf8(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the number of readable bytes. */
    public long length() {
        return length;
    }

    /** @return true when there are no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** @return the number of segments. */
    public int segmentCount() {
        return tail - head;
    }

    /**
     * @return the i-th segment's view, its position reset to the segment's first byte
     *     (position..limit are its bytes). Callers may read it or pass it to a gathering write, which
     *     moves its position without dropping anything: use {@link #consume(long)} to drop bytes.
     *     Callers must not change its limit.
     */
    public ByteBuffer segment(int i) {
        if (i < 0 || i >= tail - head) {
            throw new IndexOutOfBoundsException(i);
        }
        ByteBuffer seg = segments[head + i];
        seg.position(starts[head + i]);
        return seg;
    }

    /**
     * @return the owner the i-th segment holds a reference on (given to {@link #append(ByteBuffer,
     *     ReferenceCounted)}), or null for an unowned segment; the reference stays the list's
     */
    public ReferenceCounted owner(int i) {
        if (i < 0 || i >= tail - head) {
            throw new IndexOutOfBoundsException(i);
        }
        return owners[head + i];
    }

    /**
     * Appends the remaining bytes of {@code buffer} as a segment, without copying. The list keeps
     * its own view; the caller's position and limit are unchanged. Empty buffers are ignored.
     */
    public BufferList append(ByteBuffer buffer) {
        return append(buffer, null);
    }

    /**
     * Appends a view of {@code buffer}'s remaining bytes owned by {@code owner}, taking one
     * reference on the owner (retained here; released when the segment goes).
     */
    public BufferList append(ByteBuffer buffer, ReferenceCounted owner) {
        int n = buffer.remaining();
        if (n == 0) {
            return this;
        }
        if (owner != null) {
            owner.retain();
        }
        push(buffer.slice(), 0, owner);
        length += n;
        return this;
    }

    /** Appends the readable bytes of a pooled buffer, taking one reference on it. */
    public BufferList append(PooledBuffer buffer) {
        return append(buffer.buffer(), buffer);
    }

    /** Moves every segment of {@code other} to the end of this list; {@code other} ends empty. No copy. */
    public BufferList append(BufferList other) {
        if (other == this) {
            throw new IllegalArgumentException("cannot append a list to itself");
        }
        if (head == tail && other.head < other.tail) {
            // this list is empty (its arrays hold no references): trade arrays instead of copying
            // entries, so moving a message's sections into a new list allocates nothing
            ByteBuffer[] emptySegments = segments;
            ReferenceCounted[] emptyOwners = owners;
            int[] emptyStarts = starts;
            segments = other.segments;
            owners = other.owners;
            starts = other.starts;
            head = other.head;
            tail = other.tail;
            length = other.length;
            other.segments = emptySegments;
            other.owners = emptyOwners;
            other.starts = emptyStarts;
            other.head = 0;
            other.tail = 0;
            other.length = 0;
            return this;
        }
        for (int i = other.head; i < other.tail; i++) {
            push(other.segments[i], other.starts[i], other.owners[i]);
            other.segments[i] = null;
            other.owners[i] = null;
        }
        length += other.length;
        other.head = 0;
        other.tail = 0;
        other.length = 0;
        return this;
    }

    /** Copies {@code bytes} into a new heap segment (for small headers and tests). */
    public BufferList appendCopy(byte[] bytes, int offset, int len) {
        if (len > 0) {
            append(ByteBuffer.wrap(Arrays.copyOfRange(bytes, offset, offset + len)));
        }
        return this;
    }

    /**
     * Drops {@code n} bytes from the front, releasing the owners of fully consumed segments.
     *
     * @throws IllegalArgumentException if n is negative or more than {@link #length()}
     */
    public void consume(long n) {
        if (n < 0 || n > length) {
            throw new IllegalArgumentException("consume " + n + " of " + length);
        }
        length -= n;
        while (n > 0) {
            ByteBuffer seg = segments[head];
            int r = seg.limit() - starts[head];
            if (n >= r) {
                n -= r;
                dropHead();
            } else {
                starts[head] += (int) n;
                seg.position(starts[head]);
                n = 0;
            }
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /**
     * Moves the first {@code n} bytes into a new list, sharing memory: a segment split in two is
     * viewed by both lists, each holding a reference.
     */
    public BufferList splice(long n) {
        if (n < 0 || n > length) {
            throw new IllegalArgumentException("splice " + n + " of " + length);
        }
        BufferList front = new BufferList();
        while (n > 0) {
            ByteBuffer seg = segments[head];
            int r = seg.limit() - starts[head];
            if (n >= r) {
                front.push(seg, starts[head], owners[head]);
                front.length += r;
                segments[head] = null;
                owners[head] = null;
                head++;
                length -= r;
                n -= r;
            } else {
                int take = (int) n;
                ReferenceCounted owner = owners[head];
                if (owner != null) {
                    owner.retain();
                }
                front.push(seg.slice(starts[head], take), 0, owner);
                front.length += take;
                starts[head] += take;
                seg.position(starts[head]);
                length -= take;
                n = 0;
            }
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return front;
    }

    /**
     * Copies bytes starting {@code offset} bytes into the list into {@code dst} (up to its
     * remaining space) without consuming them. @return the number of bytes copied
     */
    public int copyTo(long offset, ByteBuffer dst) {
        if (offset < 0 || offset > length) {
            throw new IllegalArgumentException("offset " + offset + " of " + length);
        }
        int copied = 0;
        long skip = offset;
        for (int i = head; i < tail && dst.hasRemaining(); i++) {
            ByteBuffer seg = segments[i];
            int r = seg.limit() - starts[i];
            if (skip >= r) {
                skip -= r;
                continue;
            }
            int from = starts[i] + (int) skip;
            int take = Math.min(r - (int) skip, dst.remaining());
            dst.put(dst.position(), seg, from, take);
            dst.position(dst.position() + take);
            copied += take;
            skip = 0;
        }
        return copied;
    }

    /** @return the byte at {@code index} from the front. */
    public byte get(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of " + length);
        }
        long skip = index;
        for (int i = head; i < tail; i++) {
            ByteBuffer seg = segments[i];
            int r = seg.limit() - starts[i];
            if (skip < r) {
                return seg.get(starts[i] + (int) skip);
            }
            skip -= r;
        }
        throw new IllegalStateException("length out of sync");
    }

    /** @return a copy of all bytes (for tests and small control messages). */
    public byte[] toByteArray() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too large for an array: " + length);
        }
        byte[] out = new byte[(int) length];
        copyTo(0, ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Fills {@code out} with the segment views, starting at {@code out[0]}, for a gathering write;
     * each view's position is reset to its segment's first byte. The write moves the views'
     * positions; then {@link #consume(long) consume} the number of bytes it wrote.
     * @return how many were written (at most {@code out.length})
     */
    public int nioBuffers(ByteBuffer[] out) {
        int n = Math.min(out.length, tail - head);
        for (int i = 0; i < n; i++) {
            ByteBuffer seg = segments[head + i];
            seg.position(starts[head + i]);
            out[i] = seg;
        }
        return n;
    }

    /** Drops every segment and releases their owners. */
    public void clear() {
        while (head < tail) {
            dropHead();
        }
        head = 0;
        tail = 0;
        length = 0;
    }

    @Override
    public String toString() {
        return "BufferList[" + length + " bytes in " + (tail - head) + " segments]";
    }

    private void dropHead() {
        ReferenceCounted owner = owners[head];
        segments[head] = null;
        owners[head] = null;
        head++;
        if (owner != null) {
            owner.release();
        }
    }

    /** Appends {@code seg}, whose bytes start at {@code start} and end at its limit. */
    private void push(ByteBuffer seg, int start, ReferenceCounted owner) {
        if (tail == segments.length) {
            int live = tail - head;
            if (head > 0 && live < segments.length / 2) {
                System.arraycopy(segments, head, segments, 0, live);
                System.arraycopy(owners, head, owners, 0, live);
                System.arraycopy(starts, head, starts, 0, live);
                Arrays.fill(segments, live, tail, null);
                Arrays.fill(owners, live, tail, null);
            } else {
                int capacity = Math.max(INITIAL_SEGMENTS, live * 2);
                segments = Arrays.copyOfRange(segments, head, head + capacity);
                owners = Arrays.copyOfRange(owners, head, head + capacity);
                starts = Arrays.copyOfRange(starts, head, head + capacity);
            }
            head = 0;
            tail = live;
        }
        seg.position(start);
        segments[tail] = seg;
        owners[tail] = owner;
        starts[tail] = start;
        tail++;
    }
}
