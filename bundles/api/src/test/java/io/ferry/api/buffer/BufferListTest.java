package io.ferry.api.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BufferList}: behaviour of each operation, and a randomized model test against a byte array. */
class BufferListTest {

    // ---- fixtures ----

    /** A reference-counted owner that fails loudly on a release too many and counts every call. */
    static final class CountingOwner implements ReferenceCounted {
        private int count = 1;
        int retains;
        int releases;

        @Override
        public int refCount() {
            return count;
        }

        @Override
        public void retain() {
            if (count <= 0) {
                throw new IllegalStateException("retain after free");
            }
            count++;
            retains++;
        }

        @Override
        public boolean release() {
            if (count <= 0) {
                throw new IllegalStateException("double free");
            }
            count--;
            releases++;
            return count == 0;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(int from, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static BufferList listOf(byte[]... segments) {
        BufferList list = new BufferList();
        for (byte[] s : segments) {
            list.append(ByteBuffer.wrap(s));
        }
        return list;
    }

    /** A channel that takes at most {@code limit} bytes per write, moving positions as NIO does. */
    static final class PartialChannel implements GatheringByteChannel {
        final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        long limit;

        PartialChannel(long limit) {
            this.limit = limit;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length && total < limit; i++) {
                ByteBuffer b = srcs[i];
                int n = (int) Math.min(b.remaining(), limit - total);
                for (int k = 0; k < n; k++) {
                    written.write(b.get());
                }
                total += n;
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    // ---- behaviour ----

    @Test
    void emptyListHasNothingAndAcceptsZeroSizedOperations() {
        BufferList list = new BufferList();
        assertTrue(list.isEmpty());
        assertEquals(0, list.length());
        assertEquals(0, list.segmentCount());
        assertArrayEquals(new byte[0], list.toByteArray());
        list.consume(0);
        assertTrue(list.splice(0).isEmpty());
        assertEquals(0, list.copyTo(0, ByteBuffer.allocate(4)));
        assertEquals(0, list.nioBuffers(new ByteBuffer[4]));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> list.segment(0));
    }

    @Test
    void movingIntoAnEmptyListShouldKeepBytesAndReferencesAndLeaveBothUsable() {
        CountingOwner owner = new CountingOwner();
        BufferList from = new BufferList();
        from.append(ByteBuffer.wrap(bytes(0, 4)), owner);
        from.append(ByteBuffer.wrap(bytes(4, 4)));
        from.consume(1); // the moved list's first segment starts inside its view
        BufferList to = new BufferList();
        to.append(from);
        assertTrue(from.isEmpty());
        assertEquals(0, from.segmentCount());
        assertArrayEquals(bytes(1, 7), to.toByteArray());
        assertEquals(2, owner.refCount(), "the reference moved with its segment, none taken or dropped");
        assertEquals(0, owner.releases);

        from.append(ByteBuffer.wrap(bytes(20, 2)));
        to.append(ByteBuffer.wrap(bytes(8, 2)));
        assertArrayEquals(bytes(20, 2), from.toByteArray(), "the emptied list refills on its own arrays");
        assertArrayEquals(concat(bytes(1, 7), bytes(8, 2)), to.toByteArray());
        to.clear();
        assertEquals(1, owner.refCount(), "cleared once, released once");
        assertArrayEquals(bytes(20, 2), from.toByteArray(), "the two lists share no slots");
    }

    @Test
    void ownerShouldNameEachSegmentsOwnerAndFollowConsumeAndMoves() {
        CountingOwner first = new CountingOwner();
        CountingOwner third = new CountingOwner();
        BufferList list = new BufferList();
        list.append(ByteBuffer.wrap(bytes(0, 4)), first);
        list.append(ByteBuffer.wrap(bytes(4, 4)));
        list.append(ByteBuffer.wrap(bytes(8, 4)), third);
        assertSame(first, list.owner(0));
        assertNull(list.owner(1), "an unowned segment");
        assertSame(third, list.owner(2));
        assertEquals(2, first.refCount(), "asking takes no reference");
        list.consume(4);
        assertNull(list.owner(0), "indices follow the consumed front");
        BufferList moved = new BufferList().append(list);
        assertSame(third, moved.owner(1));
        assertThrows(IndexOutOfBoundsException.class, () -> moved.owner(2));
        assertThrows(IndexOutOfBoundsException.class, () -> moved.owner(-1));
        moved.clear();
    }

    @Test
    void listsThatStartedWithoutSegmentsGrowEmptyAndRefillIndependently() {
        BufferList a = new BufferList();
        BufferList b = new BufferList();
        a.append(new BufferList());
        b.append(a);
        assertTrue(a.isEmpty() && b.isEmpty(), "moving empty lists around adds nothing");
        for (int i = 0; i < 9; i++) {
            a.append(ByteBuffer.wrap(bytes(i * 3, 3)));
        }
        assertEquals(9, a.segmentCount());
        assertTrue(b.isEmpty(), "a's segments did not leak into another fresh list");
        b.append(a.splice(12));
        assertArrayEquals(bytes(0, 12), b.toByteArray());
        assertArrayEquals(bytes(12, 15), a.toByteArray());
        a.consume(15);
        a.append(ByteBuffer.wrap(bytes(40, 2)));
        assertArrayEquals(bytes(40, 2), a.toByteArray(), "an emptied list refills from its first slot");
        assertArrayEquals(bytes(0, 12), b.toByteArray());
    }

    @Test
    void appendViewsTheRemainingBytesWithoutCopyingAndLeavesTheCallersBufferAlone() {
        byte[] backing = bytes(0, 10);
        ByteBuffer caller = ByteBuffer.wrap(backing);
        caller.position(2).limit(7);
        BufferList list = new BufferList().append(caller);
        assertEquals(2, caller.position());
        assertEquals(7, caller.limit());
        assertEquals(5, list.length());
        assertArrayEquals(bytes(2, 5), list.toByteArray());
        backing[3] = 99; // a view, not a copy
        assertEquals(99, list.get(1));
        list.append(ByteBuffer.allocate(0));
        assertEquals(1, list.segmentCount(), "empty buffers are ignored");
    }

    @Test
    void appendCopyAndWrapAndUtf8() {
        byte[] source = bytes(0, 8);
        BufferList list = new BufferList().appendCopy(source, 2, 4).appendCopy(source, 0, 0);
        source[2] = 100;
        assertArrayEquals(bytes(2, 4), list.toByteArray(), "appendCopy copies");
        assertEquals(1, list.segmentCount());
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), BufferList.ofUtf8("héllo").toByteArray());
        byte[] wrapped = bytes(5, 3);
        BufferList w = BufferList.wrap(wrapped);
        wrapped[0] = 42;
        assertEquals(42, w.get(0), "wrap does not copy");
    }

    @Test
    void consumeDropsBytesAcrossSegmentsAndRejectsBadCounts() {
        BufferList list = listOf(bytes(0, 3), bytes(3, 4), bytes(7, 5));
        list.consume(2);
        assertArrayEquals(bytes(2, 10), list.toByteArray());
        assertEquals(3, list.segmentCount());
        list.consume(5);
        assertArrayEquals(bytes(7, 5), list.toByteArray());
        assertEquals(1, list.segmentCount());
        assertThrows(IllegalArgumentException.class, () -> list.consume(-1));
        assertThrows(IllegalArgumentException.class, () -> list.consume(6));
        assertArrayEquals(bytes(7, 5), list.toByteArray(), "a refused consume changes nothing");
        list.consume(5);
        assertTrue(list.isEmpty());
        assertEquals(0, list.segmentCount());
    }

    @Test
    void spliceMovesTheFrontIntoANewListSharingMemory() {
        byte[] second = bytes(3, 4);
        BufferList list = listOf(bytes(0, 3), second, bytes(7, 5));
        BufferList front = list.splice(5);
        assertArrayEquals(bytes(0, 5), front.toByteArray());
        assertArrayEquals(bytes(5, 7), list.toByteArray());
        assertEquals(2, front.segmentCount(), "the first segment and the front of the split one");
        assertEquals(2, list.segmentCount(), "the rest of the split segment and the last one");
        second[1] = 77; // front's view of byte 4
        second[3] = 88; // list's view of byte 6
        assertEquals(77, front.get(4));
        assertEquals(88, list.get(1));
        assertThrows(IllegalArgumentException.class, () -> list.splice(-1));
        assertThrows(IllegalArgumentException.class, () -> list.splice(8));
        BufferList all = list.splice(7);
        assertTrue(list.isEmpty());
        assertEquals(7, all.length());
    }

    @Test
    void copyToAndGetReadWithoutConsuming() {
        BufferList list = listOf(bytes(0, 3), bytes(3, 4), bytes(7, 5));
        ByteBuffer dst = ByteBuffer.allocate(6);
        dst.position(1);
        assertEquals(5, list.copyTo(4, dst));
        assertEquals(6, dst.position());
        assertArrayEquals(new byte[] {0, 4, 5, 6, 7, 8}, dst.array());
        assertEquals(12, list.length(), "copyTo does not consume");
        assertEquals(0, list.copyTo(12, ByteBuffer.allocate(3)), "offset at the end copies nothing");
        assertEquals(3, list.copyTo(0, ByteBuffer.allocate(3)), "limited by the destination");
        assertThrows(IllegalArgumentException.class, () -> list.copyTo(13, ByteBuffer.allocate(1)));
        assertThrows(IllegalArgumentException.class, () -> list.copyTo(-1, ByteBuffer.allocate(1)));
        for (int i = 0; i < 12; i++) {
            assertEquals(i, list.get(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(12));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
    }

    @Test
    void aGatheringWriteOverNioBuffersThenConsumeLeavesExactlyTheUnwrittenBytes() throws IOException {
        BufferList list = listOf(bytes(0, 3), bytes(3, 4), bytes(7, 5));
        list.consume(1);
        PartialChannel channel = new PartialChannel(5);
        ByteBuffer[] views = new ByteBuffer[2];
        assertEquals(2, list.nioBuffers(views), "at most the array's length");
        long n = channel.write(views, 0, 2);
        assertEquals(5, n);
        list.consume(n); // the write moved the views' positions; consume must not count them twice
        assertArrayEquals(bytes(6, 6), list.toByteArray());
        assertArrayEquals(bytes(1, 5), channel.written.toByteArray());

        // Views handed out again start at the unconsumed bytes, even if someone moved them.
        list.segment(0).position(list.segment(0).limit());
        ByteBuffer[] again = new ByteBuffer[8];
        int count = list.nioBuffers(again);
        assertEquals(2, count);
        assertEquals(1, again[0].remaining());
        assertEquals(6, again[0].get(again[0].position()));
        assertEquals(5, again[1].remaining());
    }

    @Test
    void segmentResetsItsViewAndRejectsBadIndexes() {
        BufferList list = listOf(bytes(0, 4), bytes(4, 4));
        ByteBuffer s = list.segment(1);
        s.get();
        s.get();
        assertEquals(4, list.segment(1).remaining(), "reading a view does not drop bytes");
        assertArrayEquals(bytes(0, 8), list.toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> list.segment(2));
        assertThrows(IndexOutOfBoundsException.class, () -> list.segment(-1));
    }

    @Test
    void appendingAListMovesItsSegmentsAndEmptiesIt() {
        BufferList a = listOf(bytes(0, 2));
        BufferList b = listOf(bytes(2, 3), bytes(5, 1));
        b.consume(1);
        a.append(b);
        assertArrayEquals(new byte[] {0, 1, 3, 4, 5}, a.toByteArray());
        assertTrue(b.isEmpty());
        assertEquals(0, b.segmentCount());
        assertThrows(IllegalArgumentException.class, () -> a.append(a));
        b.append(ByteBuffer.wrap(bytes(9, 1)));
        assertArrayEquals(new byte[] {9}, b.toByteArray(), "the emptied list is reusable");
    }

    @Test
    void segmentArraysGrowAndCompactKeepingOrder() {
        BufferList list = new BufferList();
        for (int i = 0; i < 1000; i++) {
            list.append(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        assertEquals(1000, list.segmentCount());
        list.consume(990);
        // Appending now reuses the front of the arrays (or grows): either way the order holds.
        for (int i = 1000; i < 3000; i++) {
            list.append(ByteBuffer.wrap(new byte[] {(byte) i}));
            if (i % 7 == 0) {
                list.consume(1);
            }
        }
        byte[] all = list.toByteArray();
        long consumedInLoop = java.util.stream.IntStream.range(1000, 3000).filter(i -> i % 7 == 0).count();
        int first = 990 + (int) consumedInLoop;
        assertEquals(3000 - first, all.length);
        for (int k = 0; k < all.length; k++) {
            assertEquals((byte) (first + k), all[k], "byte " + k);
        }
    }

    @Test
    void ownersAreRetainedPerSegmentAndReleasedExactlyOnceWhenTheSegmentGoes() {
        CountingOwner owner = new CountingOwner();
        ByteBuffer memory = ByteBuffer.wrap(bytes(0, 10));
        BufferList list = new BufferList();
        list.append(memory.duplicate().limit(4), owner);
        list.append(memory.duplicate().position(4), owner);
        assertEquals(3, owner.refCount(), "one reference per segment");

        BufferList front = list.splice(6); // splits the second segment: both lists hold a reference
        assertEquals(4, owner.refCount());
        list.consume(1);
        assertEquals(4, owner.refCount(), "a partly consumed segment keeps its reference");
        list.consume(3);
        assertEquals(3, owner.refCount(), "a fully consumed segment drops its reference");
        front.consume(4);
        assertEquals(2, owner.refCount());

        BufferList other = new BufferList();
        other.append(front); // moved, not retained again
        assertEquals(2, owner.refCount());
        other.clear();
        assertEquals(1, owner.refCount());
        other.clear();
        front.clear();
        assertEquals(1, owner.refCount(), "clearing emptied lists releases nothing more");
        assertEquals(owner.retains, owner.releases);
        assertTrue(owner.release());
    }

    @Test
    void appendOfAPooledBufferTakesAReference() {
        CountingOwner counts = new CountingOwner();
        ByteBuffer memory = ByteBuffer.allocateDirect(16);
        PooledBuffer pooled = new PooledBuffer() {
            @Override
            public ByteBuffer buffer() {
                return memory.duplicate().clear();
            }

            @Override
            public int size() {
                return 16;
            }

            @Override
            public int refCount() {
                return counts.refCount();
            }

            @Override
            public void retain() {
                counts.retain();
            }

            @Override
            public boolean release() {
                return counts.release();
            }
        };
        BufferList list = new BufferList().append(pooled);
        assertEquals(16, list.length());
        assertEquals(2, pooled.refCount());
        list.clear();
        assertEquals(1, pooled.refCount());
        assertFalse(counts.retains != counts.releases);
    }

    // ---- randomized model test ----

    /** The model: a plain growable byte array. */
    private static final class Model {
        byte[] bytes = new byte[0];

        int length() {
            return bytes.length;
        }

        void append(byte[] b) {
            byte[] n = Arrays.copyOf(bytes, bytes.length + b.length);
            System.arraycopy(b, 0, n, bytes.length, b.length);
            bytes = n;
        }

        byte[] takeFront(int n) {
            byte[] front = Arrays.copyOf(bytes, n);
            bytes = Arrays.copyOfRange(bytes, n, bytes.length);
            return front;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 42, 1234567})
    void behavesLikeAByteArrayUnderRandomOperations(long seed) throws IOException {
        Random random = new Random(seed);
        BufferList list = new BufferList();
        Model model = new Model();
        List<CountingOwner> owners = new ArrayList<>();
        int counter = 0;
        for (int step = 0; step < 3000; step++) {
            int op = random.nextInt(100);
            String what;
            if (op < 30) {
                // append a view of part of a heap or direct buffer, sometimes owned
                int len = random.nextInt(random.nextInt(10) == 0 ? 5000 : 64);
                int pad = random.nextInt(8);
                ByteBuffer b = random.nextBoolean() ? ByteBuffer.allocate(len + 2 * pad) : ByteBuffer.allocateDirect(len + 2 * pad);
                byte[] content = bytes(counter, len);
                counter += len;
                b.position(pad);
                b.put(content);
                b.position(pad).limit(pad + len);
                if (random.nextInt(3) == 0) {
                    CountingOwner owner = new CountingOwner();
                    owners.add(owner);
                    list.append(b, owner);
                } else {
                    list.append(b);
                }
                assertEquals(pad, b.position(), "append leaves the caller's position");
                model.append(content);
                what = "append " + len;
            } else if (op < 38) {
                byte[] content = bytes(counter, random.nextInt(100));
                counter += content.length;
                list.appendCopy(content, 0, content.length);
                model.append(content);
                what = "appendCopy " + content.length;
            } else if (op < 45) {
                BufferList other = new BufferList();
                int segs = random.nextInt(6);
                for (int i = 0; i < segs; i++) {
                    byte[] content = bytes(counter, 1 + random.nextInt(30));
                    counter += content.length;
                    other.append(ByteBuffer.wrap(content));
                    model.append(content);
                }
                list.append(other);
                assertTrue(other.isEmpty());
                what = "append list of " + segs;
            } else if (op < 60) {
                int n = model.length() == 0 ? 0 : random.nextInt(model.length() + 1);
                list.consume(n);
                model.takeFront(n);
                what = "consume " + n;
            } else if (op < 70) {
                int n = model.length() == 0 ? 0 : random.nextInt(model.length() + 1);
                BufferList front = list.splice(n);
                byte[] expected = model.takeFront(n);
                assertArrayEquals(expected, front.toByteArray(), "spliced bytes");
                if (random.nextBoolean()) {
                    list.append(front); // rotate: the front goes to the back
                    model.append(expected);
                    what = "splice " + n + " and rotate";
                } else {
                    front.clear();
                    what = "splice " + n + " and drop";
                }
            } else if (op < 78) {
                int offset = random.nextInt(model.length() + 1);
                ByteBuffer dst = ByteBuffer.allocate(random.nextInt(200));
                int copied = list.copyTo(offset, dst);
                int expectedCount = Math.min(dst.capacity(), model.length() - offset);
                assertEquals(expectedCount, copied);
                assertArrayEquals(Arrays.copyOfRange(model.bytes, offset, offset + copied), Arrays.copyOf(dst.array(), copied));
                what = "copyTo " + offset;
            } else if (op < 85) {
                if (model.length() > 0) {
                    int index = random.nextInt(model.length());
                    assertEquals(model.bytes[index], list.get(index), "get " + index);
                }
                what = "get";
            } else if (op < 95) {
                // a gathering write of part of the list, as a socket does, then consume what was written
                ByteBuffer[] views = new ByteBuffer[1 + random.nextInt(8)];
                int count = list.nioBuffers(views);
                PartialChannel channel = new PartialChannel(random.nextInt(300));
                long n = channel.write(views, 0, count);
                list.consume(n);
                assertArrayEquals(model.takeFront((int) n), channel.written.toByteArray(), "gathered bytes");
                what = "gathering write " + n;
            } else {
                // a reader moving a view's position must not change the list
                if (list.segmentCount() > 0) {
                    ByteBuffer s = list.segment(random.nextInt(list.segmentCount()));
                    s.position(s.position() + random.nextInt(s.remaining() + 1));
                }
                what = "move a view";
            }
            assertEquals(model.length(), list.length(), "step " + step + " (" + what + "): length");
            assertEquals(model.length() == 0, list.isEmpty());
            assertArrayEquals(model.bytes, list.toByteArray(), "step " + step + " (" + what + "): content");
        }
        list.clear();
        for (CountingOwner owner : owners) {
            assertEquals(1, owner.refCount(), "every reference the list took was given back");
            assertEquals(owner.retains, owner.releases, "retains and releases balance");
        }
    }
}
