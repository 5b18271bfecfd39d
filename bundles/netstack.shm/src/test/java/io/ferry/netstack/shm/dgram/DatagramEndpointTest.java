package io.ferry.netstack.shm.dgram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.channel.StreamChannelPair;
import io.ferry.testkit.BytePattern;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Datagram records over a stream channel pair: addresses, boundaries, back-pressure, hostile descriptors, leaks. */
class DatagramEndpointTest {
    private static final long FOREVER = TimeUnit.SECONDS.toNanos(30);

    @BeforeEach
    void requireUnix() {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int send(DatagramEndpoint e, String to, byte[] payload) {
        byte[] a = utf8(to);
        return e.send(a, a.length, ByteBuffer.wrap(payload), 0);
    }

    @Test
    void aRoundTripCarriesPayloadAndAddressBothWays() throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(4096);
        try (DatagramEndpoint a = new DatagramEndpoint(pair.a()); DatagramEndpoint b = new DatagramEndpoint(pair.b())) {
            assertEquals(5, send(a, "node/echo", utf8("hello")));
            assertEquals(0, send(a, "pid:42/7", new byte[0]), "an empty datagram is a datagram");
            SourceAddress from = new SourceAddress();
            ByteBuffer dst = ByteBuffer.allocate(64);
            assertEquals(5, b.receive(dst, from, 0));
            assertEquals("node/echo", from.asString());
            assertEquals("hello", new String(dst.array(), 0, dst.position(), StandardCharsets.UTF_8));
            assertFalse(from.truncated());
            dst.clear();
            assertEquals(0, b.receive(dst, from, 0));
            assertEquals("pid:42/7", from.toAddress().name());
            assertEquals(-Errno.EAGAIN, b.receive(dst, from, 0), "nothing more: EWOULDBLOCK");

            assertEquals(3, send(b, "ünïcödé", new byte[] {1, 2, 3}));
            dst.clear();
            assertEquals(3, a.receive(dst, from, FOREVER));
            assertEquals("ünïcödé", from.asString());
            assertEquals(2, a.sent());
            assertEquals(1, a.received());
        }
    }

    @Test
    void theLargestDatagramFitsAndOneByteMoreIsEMSGSIZE() throws Exception {
        StreamChannelPair small = StreamChannelPair.create(1000); // takes 992 bytes at once (rounded to 32)
        try (DatagramEndpoint a = new DatagramEndpoint(small.a()); DatagramEndpoint b = new DatagramEndpoint(small.b())) {
            int max = a.maxPayload(1);
            assertEquals(992 - 8 - 1, max);
            assertEquals(-Errno.EMSGSIZE, send(a, "x", new byte[max + 1]));
            byte[] big = new BytePattern(1).bytes(0, max);
            assertEquals(max, send(a, "x", big));
            ByteBuffer dst = ByteBuffer.allocate(2000);
            SourceAddress from = new SourceAddress();
            assertEquals(max, b.receive(dst, from, 0));
            assertArrayEquals(big, java.util.Arrays.copyOf(dst.array(), max));
        }
        StreamChannelPair large = StreamChannelPair.create(1 << 20);
        try (DatagramEndpoint a = new DatagramEndpoint(large.a()); DatagramEndpoint b = new DatagramEndpoint(large.b())) {
            assertEquals(65535, a.maxPayload(255), "u16 bounds the payload in a large ring");
            byte[] address = new byte[255];
            java.util.Arrays.fill(address, (byte) 'a');
            assertEquals(65535, a.send(address, 255, ByteBuffer.allocate(65535), 0));
            assertEquals(-Errno.EMSGSIZE, a.send(address, 255, ByteBuffer.allocate(65536), 0));
            assertEquals(-Errno.EINVAL, a.send(address, 0, ByteBuffer.allocate(1), 0), "empty address");
            assertEquals(-Errno.EINVAL, a.send(new byte[256], 256, ByteBuffer.allocate(1), 0), "address over 255 bytes");
            SourceAddress from = new SourceAddress();
            assertEquals(65535, b.receive(ByteBuffer.allocate(65535), from, 0));
            assertEquals(255, from.length());
        }
    }

    @Test
    void recordsWrapAroundTheRingIntactInOrder() throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(509); // odd capacity: records land on every offset
        BytePattern pattern = new BytePattern(7);
        Random random = new Random(7);
        long offset = 0;
        long readOffset = 0;
        int sentCount = 0;
        int gotCount = 0;
        try (DatagramEndpoint a = new DatagramEndpoint(pair.a()); DatagramEndpoint b = new DatagramEndpoint(pair.b())) {
            ByteBuffer dst = ByteBuffer.allocate(1024);
            SourceAddress from = new SourceAddress();
            while (gotCount < 20_000) {
                if (sentCount < 20_000) {
                    int n = random.nextInt(a.maxPayload(8) + 1);
                    byte[] p = pattern.bytes(offset, n);
                    int r = send(a, "peer-" + (sentCount % 1000), p);
                    if (r >= 0) {
                        assertEquals(n, r);
                        offset += n;
                        sentCount++;
                        continue;
                    }
                    assertEquals(-Errno.EAGAIN, r, "only a full ring refuses: " + Errno.name(r));
                }
                dst.clear();
                int got = b.receive(dst, from, 0);
                assertTrue(got >= 0, "receive: " + Errno.name(got));
                dst.flip();
                assertEquals(-1, pattern.mismatch(dst, readOffset), "datagram " + gotCount);
                assertEquals("peer-" + (gotCount % 1000), from.asString());
                readOffset += got;
                gotCount++;
            }
            assertEquals(offset, readOffset);
            assertTrue(pair.a().bytesWritten() > 100L * 509, "the ring wrapped many times");
        }
    }

    @Test
    void aFullRingSaysEWOULDBLOCKAndABlockingSendWaitsForRoom() throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(256);
        try (DatagramEndpoint a = new DatagramEndpoint(pair.a()); DatagramEndpoint b = new DatagramEndpoint(pair.b())) {
            int accepted = 0;
            while (send(a, "q", new byte[50]) == 50) {
                accepted++;
            }
            assertEquals(4, accepted, "4 records of 59 bytes fit 256 (rounded down to 32: 224 writable)");
            assertEquals(-Errno.EAGAIN, send(a, "q", new byte[50]));
            byte[] to = utf8("q");
            assertEquals(-Errno.EAGAIN, a.send(to, 1, ByteBuffer.allocate(50), TimeUnit.MILLISECONDS.toNanos(1)),
                    "a bounded wait ends");
            CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> {
                SourceAddress from = new SourceAddress();
                int count = 0;
                ByteBuffer dst = ByteBuffer.allocate(100);
                while (count < 1004) {
                    dst.clear();
                    int r = b.receive(dst, from, FOREVER);
                    if (r != 50) {
                        return r;
                    }
                    count++;
                }
                return count;
            });
            for (int i = 0; i < 1000; i++) {
                assertEquals(50, a.send(to, 1, ByteBuffer.allocate(50), FOREVER), "blocking send " + i);
            }
            assertEquals(1004, drained.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPayloadLongerThanTheBufferIsTruncatedAndTheNextDatagramIsIntact() throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(8192);
        try (DatagramEndpoint a = new DatagramEndpoint(pair.a()); DatagramEndpoint b = new DatagramEndpoint(pair.b())) {
            byte[] big = new BytePattern(3).bytes(0, 5000);
            assertEquals(5000, send(a, "x", big));
            assertEquals(2, send(a, "y", new byte[] {9, 8}));
            SourceAddress from = new SourceAddress();
            ByteBuffer dst = ByteBuffer.allocate(10);
            assertEquals(5000, b.receive(dst, from, 0));
            assertTrue(from.truncated());
            assertArrayEquals(java.util.Arrays.copyOf(big, 10), dst.array());
            dst.clear();
            assertEquals(2, b.receive(dst, from, 0));
            assertFalse(from.truncated());
            assertEquals("y", from.asString());
            assertEquals(1, b.truncatedCount());
        }
    }

    @Test
    void aClosedPeerIsEPIPEAfterWhatItSent() throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(1024);
        DatagramEndpoint a = new DatagramEndpoint(pair.a());
        try (DatagramEndpoint b = new DatagramEndpoint(pair.b())) {
            assertEquals(1, send(a, "x", new byte[] {1}));
            a.close();
            SourceAddress from = new SourceAddress();
            assertEquals(1, b.receive(ByteBuffer.allocate(8), from, 0));
            assertEquals(-Errno.EPIPE, b.receive(ByteBuffer.allocate(8), from, 0));
            assertEquals(-Errno.EPIPE, send(b, "x", new byte[] {1}));
        }
    }

    /** Raw bytes a hostile peer publishes in place of a record (its ring index is honest). */
    private static ByteBuffer raw(int tag, int addressLength, int payloadLength, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag).putShort((short) addressLength).putShort((short) payloadLength);
        while (b.hasRemaining()) {
            b.put((byte) 'z');
        }
        return b.flip();
    }

    @Test
    void hostileDescriptorsBreakOnlyTheirOwnChannel() throws Exception {
        ByteBuffer[] hostile = {
            raw(0x12345678, 1, 0, 1),                         // wrong tag
            raw(DatagramRecordDescriptor.TAG, 0, 4, 4),        // empty address
            raw(DatagramRecordDescriptor.TAG, 256, 0, 0),        // address longer than 255
            raw(DatagramRecordDescriptor.TAG, 3, 60000, 10),   // payload beyond the published bytes
            raw(DatagramRecordDescriptor.TAG, 200, 0, 50),     // address beyond the published bytes
            raw(DatagramRecordDescriptor.TAG, 1, 0, 0).limit(5), // a published record that ends inside its descriptor
            raw(DatagramRecordDescriptor.TAG, 0xFFFF, 0xFFFF, 0), // every length at its maximum
        };
        StreamChannelPair bystander = StreamChannelPair.create(1024);
        try (DatagramEndpoint bx = new DatagramEndpoint(bystander.a()); DatagramEndpoint by = new DatagramEndpoint(bystander.b())) {
            for (ByteBuffer bad : hostile) {
                StreamChannelPair pair = StreamChannelPair.create(1024);
                try (DatagramEndpoint victim = new DatagramEndpoint(pair.b())) {
                    assertTrue(pair.a().write(bad) > 0, "the hostile bytes are published as stream bytes");
                    SourceAddress from = new SourceAddress();
                    ByteBuffer dst = ByteBuffer.allocate(64);
                    assertEquals(-Errno.EPROTO, victim.receive(dst, from, 0), "descriptor " + bad);
                    assertTrue(victim.isBroken());
                    assertEquals(-Errno.EPROTO, victim.receive(dst, from, 0), "broken stays broken");
                    assertEquals(-Errno.EPROTO, send(victim, "x", new byte[1]));
                    assertEquals(0, dst.position(), "nothing delivered from a hostile record");
                } finally {
                    pair.a().close();
                }
                assertEquals(2, send(bx, "still", new byte[] {4, 2}));
                SourceAddress from = new SourceAddress();
                assertEquals(2, by.receive(ByteBuffer.allocate(8), from, 0), "the bystander channel carries on");
            }
        }
    }

    @Test
    void openCloseCyclesLeakNoDescriptorsOrMappings() throws Exception {
        long fds = openFds();
        int mappings = SharedMemory.liveMappings();
        for (int i = 0; i < 1000; i++) {
            StreamChannelPair pair = StreamChannelPair.create(256);
            DatagramEndpoint a = new DatagramEndpoint(pair.a());
            DatagramEndpoint b = new DatagramEndpoint(pair.b());
            send(a, "x", new byte[] {(byte) i});
            if (i % 2 == 0) {
                b.receive(ByteBuffer.allocate(4), new SourceAddress(), 0);
                a.close();
                b.close();
            } else {
                b.close();
                a.close();
            }
        }
        assertEquals(mappings, SharedMemory.liveMappings());
        long after = openFds();
        assertTrue(after <= fds + 2, "fds " + fds + " -> " + after);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
