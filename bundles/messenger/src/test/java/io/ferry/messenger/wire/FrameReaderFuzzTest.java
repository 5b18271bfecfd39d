package io.ferry.messenger.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.buffer.ReferenceCounted;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input to every msgr v1 decoder: only clear errors, never an exception, never
 * reading outside the input, never a message larger than the limit admitted.
 */
class FrameReaderFuzzTest {
    private static final int ROUNDS = 20_000;

    @Test
    void frameReaderShouldSurviveMutatedAndRandomStreams() {
        Random random = new Random(0xF00D);
        byte[][] seeds = {FrameReaderTest.stream(true), FrameReaderTest.stream(false)};
        byte[] large = largeMessageStream(FrameReader.IN_PLACE_MIN);
        byte[] huge = largeMessageStream(ReceiveMemory.CHUNK_SIZE + 5000);
        int failed = 0;
        long inPlace = 0;
        long inPieces = 0;
        long directBytes = 0;
        // one loop's memory for every round, as a connection after another on the same loop
        ReceiveMemory memory = new ReceiveMemory(ReceiveMemory.CHUNK_SIZE);
        for (int round = 0; round < ROUNDS; round++) {
            boolean msgAuth = random.nextBoolean();
            // every other round as a connection feeds it: through a ReceiveBuffer sharing the reader's memory,
            // large whole payloads taken in place, payloads larger than a chunk copied into pieces
            ReceiveBuffer received = round % 2 == 0 ? new ReceiveBuffer(memory) : null;
            boolean takeLarge = received != null && round % 4 == 2;
            byte[] input;
            if (takeLarge) {
                msgAuth = true;
                input = (round % 8 == 2 ? large : huge).clone();
                int flips = random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            } else if (round % 4 == 0) {
                input = new byte[random.nextInt(300)];
                random.nextBytes(input);
            } else {
                input = seeds[msgAuth ? 0 : 1].clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(5) == 0) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            int limit = takeLarge ? 1 << 17 : 4096;
            FrameReader reader = new FrameReader(limit, memory);
            reader.setMsgAuth(msgAuth);
            reader.setCheckDataCrc(random.nextInt(3) != 0);
            RecordingSink sink = new RecordingSink();
            ByteBuffer whole = ByteBuffer.wrap(input).asReadOnlyBuffer();
            Set<ReferenceCounted> chunks = Collections.newSetFromMap(new IdentityHashMap<>());
            int at = 0;
            int r = FrameReader.NEED_MORE;
            while (at < input.length && r == FrameReader.NEED_MORE) {
                int n = Math.min(input.length - at, 1 + random.nextInt(takeLarge ? 40_000 : 64));
                if (received != null) {
                    ByteBuffer direct = received.unparsed() == 0 ? reader.directTarget() : null;
                    if (direct != null) {
                        // as the connection reads inside a large payload's sections: straight into its pieces
                        n = Math.min(n, direct.remaining());
                        direct.put(whole.duplicate().limit(at + n).position(at));
                        reader.directFilled(n);
                        directBytes += n;
                        at += n;
                        continue;
                    }
                    // as a socket read would: into the buffer's room, parsed from there
                    n = Math.min(n, received.room());
                    received.forRead().put(whole.duplicate().limit(at + n).position(at));
                    received.received();
                    chunks.add(received.owner());
                    r = reader.feed(received.forParse(), received.owner(), sink);
                    received.settle();
                    at += n;
                    continue;
                }
                ByteBuffer chunk = whole.duplicate().limit(at + n).position(at);
                r = reader.feed(chunk, sink);
                assertTrue(chunk.position() <= at + n);
                at = chunk.position();
            }
            if (r == FrameReader.FAILED) {
                failed++;
                assertNotNull(reader.error(), "a failure always has a reason");
                assertNotNull(reader.errorKind(), "a failure always has a class");
            }
            assertTrue(sink.admittedBytes <= (long) limit * (sink.messages.size() + 1), "admitted within the limit");
            if (received != null) {
                chunks.add(received.owner());
                reader.reset();
                inPlace += sink.messages.stream().filter(m -> m.data().length() >= FrameReader.IN_PLACE_MIN
                        && m.data().length() <= ReceiveMemory.CHUNK_SIZE && m.data().segment(0).isDirect()).count();
                inPieces += sink.messages.stream().filter(m -> m.data().length() > ReceiveMemory.CHUNK_SIZE).count();
                sink.messages.forEach(Message::release);
                assertEquals(1, chunks.stream().mapToInt(ReferenceCounted::refCount).sum(),
                        "every reference on the read buffer given back, whatever the input");
                received.clear();
                assertEquals(memory.chunksCreated(), memory.spareChunks(),
                        "every chunk, read buffer or piece of a large payload, back in the loop's memory");
            }
        }
        assertTrue(failed > ROUNDS / 4, "the fuzzer reached the error paths: " + failed);
        assertTrue(inPlace > ROUNDS / 100, "the fuzzer reached messages taken in place: " + inPlace);
        assertTrue(inPieces > ROUNDS / 100, "the fuzzer reached messages copied into pieces: " + inPieces);
        assertTrue(directBytes > 0, "the fuzzer reached reads straight into pieces");
    }

    /** Two messages with data sections of {@code size} and one more byte, then an ACK. */
    private static byte[] largeMessageStream(int size) {
        BufferList out = new BufferList();
        for (int seq = 1; seq <= 2; seq++) {
            byte[] data = new byte[size + seq - 1];
            new Random(seq).nextBytes(data);
            FrameWriter.writeMessage(out, new Message(0x40, BufferList.ofUtf8("f" + seq), new BufferList(), BufferList.wrap(data)),
                    seq, EntityName.osd(2), true);
        }
        FrameWriter.writeAck(out, 2);
        return out.toByteArray();
    }

    @Test
    void handshakeDecodersShouldAnswerEveryInputWithAValueOrAReason() {
        Random random = new Random(12);
        ConnectMessage connect = new ConnectMessage();
        ConnectReply reply = new ConnectReply();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] b = new byte[136 + random.nextInt(8)];
            random.nextBytes(b);
            if (random.nextBoolean()) {
                b[0] = b[1] = b[2] = b[3] = 0;
                b[8] = 0;
                b[9] = (byte) (random.nextBoolean() ? 2 : 10);
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            String why = EntityAddrCodec.check(buf, 0);
            if (why == null) {
                assertNotNull(EntityAddrCodec.decode(buf, 0));
            }
            EntityAddrCodec.check(buf, b.length - random.nextInt(136)); // truncated: a reason, no exception
            connect.wrap(buf, 0).check();
            connect.toString();
            reply.wrap(buf, 0).check();
            reply.toString();
        }
    }
}
