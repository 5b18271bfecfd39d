package io.ferry.netstack.shm.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.testkit.BytePattern;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Single-threaded behaviour of the two views: counts, wrap-around, partial copies, zero copy. */
class ByteRingTest {

    private static final BytePattern PATTERN = new BytePattern(42);

    private ByteBuffer region;
    private ByteRingProducer producer;
    private ByteRingConsumer consumer;

    private void ring(int capacity) {
        region = TestRegions.ring(capacity);
        producer = OneToOneByteRing.producer(region);
        consumer = OneToOneByteRing.consumer(region);
    }

    private long sharedLong(int offset) {
        return region.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    @Test
    void shouldStartEmptyWithTheWholeRingWritable() {
        ring(128);
        assertEquals(0, consumer.readable());
        assertEquals(128, producer.writable());
        assertEquals(0, consumer.read(ByteBuffer.allocate(10)));
        assertEquals(0, consumer.peek(10));
        assertEquals(0, consumer.release(0));
    }

    @Test
    void shouldRoundWritableDownTo32Bytes() {
        ring(100);
        assertEquals(96, producer.writable());
        assertEquals(10, producer.write(PATTERN.bytes(0, 10), 0, 10));
        assertEquals(64, producer.writable()); // 90 free
        assertEquals(64, producer.write(ByteBuffer.wrap(PATTERN.bytes(10, 80))));
        assertEquals(0, producer.writable()); // 26 free: below one 32-byte unit
        assertEquals(0, producer.write(ByteBuffer.wrap(new byte[1])));
        assertEquals(74, consumer.readable());
    }

    @Test
    void shouldTellFullFromEmptyWithIndexesOverTwiceTheCapacity() {
        ring(64);
        assertEquals(64, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 64))));
        assertEquals(64, consumer.readable(), "full");
        assertEquals(0, producer.writable());
        assertEquals(64, sharedLong(StreamRingDescriptor.WRITE_INDEX_OFFSET));
        assertEquals(0, sharedLong(StreamRingDescriptor.READ_INDEX_OFFSET));

        byte[] out = new byte[64];
        assertEquals(64, consumer.read(out, 0, 64));
        assertArrayEquals(PATTERN.bytes(0, 64), out);
        assertEquals(0, consumer.readable(), "empty at the same physical slot");
        assertEquals(64, sharedLong(StreamRingDescriptor.READ_INDEX_OFFSET));

        assertEquals(64, producer.write(ByteBuffer.wrap(PATTERN.bytes(64, 64))));
        assertEquals(0, sharedLong(StreamRingDescriptor.WRITE_INDEX_OFFSET), "wrapped at 2 * capacity");
        assertEquals(64, consumer.readable());
        assertEquals(64, consumer.read(out, 0, 64));
        assertArrayEquals(PATTERN.bytes(64, 64), out);
        assertEquals(0, sharedLong(StreamRingDescriptor.READ_INDEX_OFFSET));
    }

    @Test
    void shouldSplitCopiesAtTheWrap() {
        ring(64);
        assertEquals(48, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 48))));
        assertEquals(48, consumer.read(ByteBuffer.allocate(48)));
        // 40 bytes from physical offset 48: 16 at the end, 24 at the start.
        ByteBuffer src = ByteBuffer.wrap(PATTERN.bytes(48, 40));
        assertEquals(40, producer.write(src));
        assertEquals(40, src.position());
        byte[] physical = new byte[64];
        region.get(StreamRingDescriptor.DATA_OFFSET, physical);
        assertArrayEquals(PATTERN.bytes(48, 16), Arrays.copyOfRange(physical, 48, 64));
        assertArrayEquals(PATTERN.bytes(64, 24), Arrays.copyOfRange(physical, 0, 24));

        ByteBuffer dst = ByteBuffer.allocateDirect(40);
        assertEquals(40, consumer.read(dst));
        assertEquals(40, dst.position());
        dst.flip();
        assertEquals(-1, PATTERN.mismatch(dst, 48));
    }

    @Test
    void shouldCopyOnlyWhatFitsAndLeaveTheRestInTheSource() {
        ring(64);
        ByteBuffer src = ByteBuffer.wrap(PATTERN.bytes(0, 100));
        assertEquals(64, producer.write(src));
        assertEquals(64, src.position());
        assertEquals(0, producer.write(src));
        assertEquals(64, src.position());

        ByteBuffer small = ByteBuffer.allocate(10);
        assertEquals(10, consumer.read(small));
        assertEquals(0, consumer.read(small), "destination full");
        assertEquals(54, consumer.readable());
        assertEquals(0, producer.writable(), "10 free bytes round down to 0");
    }

    @Test
    void shouldWriteAbsoluteRangesWithoutMovingTheSource() {
        ring(64);
        ByteBuffer segment = ByteBuffer.wrap(PATTERN.bytes(0, 100)).position(7);
        assertEquals(64, producer.write(segment, 0, 100));
        assertEquals(7, segment.position());
        assertThrows(IndexOutOfBoundsException.class, () -> producer.write(segment, 90, 20));
        byte[] out = new byte[64];
        assertEquals(64, consumer.read(out, 0, 64));
        assertArrayEquals(PATTERN.bytes(0, 64), out);
    }

    @Test
    void shouldGatherSegmentsInOrderAndStopWhenFull() {
        ring(64);
        assertEquals(40, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 40))));
        assertEquals(40, consumer.read(ByteBuffer.allocate(40)));
        ByteBuffer[] segments = {
            ByteBuffer.wrap(PATTERN.bytes(40, 10)),
            ByteBuffer.allocate(0),
            ByteBuffer.wrap(PATTERN.bytes(50, 30)),
            ByteBuffer.wrap(PATTERN.bytes(80, 50)),
        };
        assertEquals(64, producer.write(segments, 0, segments.length));
        assertEquals(10, segments[0].position());
        assertEquals(30, segments[2].position());
        assertEquals(24, segments[3].position(), "last segment taken in part");
        assertEquals(64, consumer.readable());
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertEquals(64, consumer.read(dst));
        assertEquals(-1, PATTERN.mismatch(dst.flip(), 40));
        assertEquals(0, producer.write(segments, 0, 0), "nothing to gather");
    }

    @Test
    void shouldClaimOnlyUpToTheWrapAndContinueAtTheStart() {
        ring(64);
        assertEquals(48, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 48))));
        assertEquals(48, consumer.read(ByteBuffer.allocate(48)));
        assertEquals(16, producer.tryClaim(64), "contiguous up to the wrap");
        assertEquals(StreamRingDescriptor.DATA_OFFSET + 48, producer.claimIndex());
        producer.buffer().put(producer.claimIndex(), PATTERN.bytes(48, 16));
        assertEquals(16, producer.commit(16));
        assertEquals(StreamRingDescriptor.DATA_OFFSET, producer.claimIndex());
        assertEquals(32, producer.tryClaim(64), "48 free, rounded to 32");
        producer.buffer().put(producer.claimIndex(), PATTERN.bytes(64, 32));
        assertThrows(IllegalArgumentException.class, () -> producer.commit(33));
        assertEquals(20, producer.commit(20));
        assertEquals(0, producer.commit(0));
        assertThrows(IllegalArgumentException.class, () -> producer.commit(1), "claim consumed by the commit");

        assertEquals(16, consumer.peek(100), "contiguous up to the wrap");
        ByteBuffer view = consumer.buffer();
        int index = consumer.peekIndex();
        assertEquals(-1, PATTERN.mismatch(view.duplicate().position(index).limit(index + 16), 48));
        assertEquals(16, consumer.release(16));
        assertEquals(20, consumer.peek(100));
        assertEquals(StreamRingDescriptor.DATA_OFFSET, consumer.peekIndex());
        assertEquals(-1, PATTERN.mismatch(view.duplicate().position(consumer.peekIndex()).limit(consumer.peekIndex() + 20), 64));
        assertEquals(5, consumer.peek(5));
        assertThrows(IllegalArgumentException.class, () -> consumer.release(21));
        assertEquals(20, consumer.release(20));
        assertEquals(0, consumer.readable());
    }

    @Test
    void shouldAbandonAClaimWhenAWriteComesFirst() {
        ring(64);
        assertEquals(64, producer.tryClaim(100));
        assertEquals(8, producer.write(PATTERN.bytes(0, 8), 0, 8));
        assertThrows(IllegalArgumentException.class, () -> producer.commit(1));
        assertEquals(8, consumer.readable());
    }

    @Test
    void shouldRefuseNegativeLengths() {
        ring(64);
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(-1));
        assertThrows(IllegalArgumentException.class, () -> consumer.peek(-1));
        assertThrows(IllegalArgumentException.class, () -> consumer.release(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> producer.write(new byte[4], 2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> consumer.read(new byte[4], -1, 2));
    }

    @Test
    void shouldReattachWhereTheOtherViewLeftOff() {
        ring(100);
        assertEquals(70, producer.write(ByteBuffer.wrap(PATTERN.bytes(0, 70))));
        assertEquals(30, consumer.read(ByteBuffer.allocate(30)));
        ByteRingProducer producer2 = OneToOneByteRing.producer(region);
        ByteRingConsumer consumer2 = OneToOneByteRing.consumer(region);
        assertEquals(40, consumer2.readable());
        assertEquals(32, producer2.writable()); // 60 free
        ByteBuffer dst = ByteBuffer.allocate(40);
        assertEquals(40, consumer2.read(dst));
        assertEquals(-1, PATTERN.mismatch(dst.flip(), 30));
    }

    /**
     * Random interleavings of every operation against a model (written and read totals over
     * one byte pattern), for capacities that are odd, prime, tiny and the default.
     */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {64, 65, 97, 100, 127, 129, 1000, 4097, StreamRingDescriptor.DEFAULT_CAPACITY})
    void shouldMatchTheModelForAnyCapacity(int capacity) {
        ring(capacity);
        SplittableRandom random = new SplittableRandom(capacity);
        long written = 0;
        long read = 0;
        ByteBuffer scratch = ByteBuffer.allocate(2 * capacity + 64);
        byte[] array = new byte[2 * capacity + 64];
        for (int op = 0; op < 20_000; op++) {
            int used = (int) (written - read);
            assertEquals(used, consumer.readable());
            assertEquals((capacity - used) & ~31, producer.writable());
            int len = random.nextInt(10) < 7 ? random.nextInt(40) : random.nextInt(2 * capacity + 1);
            int expectedWrite = Math.min(len, (capacity - used) & ~31);
            int n;
            switch (random.nextInt(8)) {
                case 0: // relative ByteBuffer write
                    scratch.clear().limit(len);
                    PATTERN.fill(scratch, written);
                    scratch.flip();
                    n = producer.write(scratch);
                    assertEquals(expectedWrite, n);
                    assertEquals(n, scratch.position());
                    written += n;
                    break;
                case 1: // byte[] write
                    System.arraycopy(PATTERN.bytes(written, len), 0, array, 3, len);
                    n = producer.write(array, 3, len);
                    assertEquals(expectedWrite, n);
                    written += n;
                    break;
                case 2: { // zero-copy claim + partial commit
                    n = producer.tryClaim(len);
                    int contiguous = capacity - (int) (producer.writeIndex() % capacity);
                    assertEquals(Math.min(expectedWrite, contiguous), n);
                    int commit = n == 0 ? 0 : random.nextInt(n + 1);
                    ByteBuffer b = producer.buffer();
                    b.put(producer.claimIndex(), PATTERN.bytes(written, commit));
                    assertEquals(commit, producer.commit(commit));
                    written += commit;
                    break;
                }
                case 3: { // gathering write of up to three segments
                    int a = random.nextInt(len + 1);
                    int b = random.nextInt(len - a + 1);
                    ByteBuffer[] segs = {
                        ByteBuffer.wrap(PATTERN.bytes(written, a)),
                        ByteBuffer.wrap(PATTERN.bytes(written + a, b)),
                        ByteBuffer.wrap(PATTERN.bytes(written + a + b, len - a - b)),
                    };
                    n = producer.write(segs, 0, 3);
                    assertEquals(expectedWrite, n);
                    written += n;
                    break;
                }
                case 4: // relative ByteBuffer read
                    scratch.clear().limit(len);
                    n = consumer.read(scratch);
                    assertEquals(Math.min(len, used), n);
                    assertEquals(-1, PATTERN.mismatch(scratch.flip(), read));
                    read += n;
                    break;
                case 5: // byte[] read
                    n = consumer.read(array, 1, len);
                    assertEquals(Math.min(len, used), n);
                    assertEquals(-1, PATTERN.mismatch(ByteBuffer.wrap(array, 1, n), read));
                    read += n;
                    break;
                default: { // peek + partial release
                    n = consumer.peek(len);
                    int contiguous = capacity - (int) (consumer.readIndex() % capacity);
                    assertEquals(Math.min(Math.min(len, used), contiguous), n);
                    int index = consumer.peekIndex();
                    assertEquals(-1, PATTERN.mismatch(consumer.buffer().duplicate().position(index).limit(index + n), read));
                    int release = n == 0 ? 0 : random.nextInt(n + 1);
                    assertEquals(release, consumer.release(release));
                    read += release;
                }
            }
            assertEquals(written % (2L * capacity), producer.writeIndex());
            assertEquals(read % (2L * capacity), consumer.readIndex());
        }
        assertEquals(false, producer.isCorrupt() || consumer.isCorrupt());
    }
}
