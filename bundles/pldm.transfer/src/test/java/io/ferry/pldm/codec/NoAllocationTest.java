package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-message paths allocate nothing: decoding every request vector and answering it, a
 * hundred thousand times over, adds (next to) no bytes to this thread's allocation counter.
 */
class NoAllocationTest {

    @Test
    void shouldDecodeAndAnswerWithoutAllocating() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs the HotSpot allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        List<GoldenVectors.Vector> vectors = GoldenVectors.load();
        ByteBuffer[] messages = vectors.stream().filter(v -> v.kind().equals("req"))
                .map(v -> ByteBuffer.allocateDirect(v.bytes().length).put(0, v.bytes())).toArray(ByteBuffer[]::new);
        PldmRequestDecoder decoder = new PldmRequestDecoder();
        ByteBuffer out = ByteBuffer.allocateDirect(256);
        FileLengthResponse response = new FileLengthResponse();

        long sink = run(messages, decoder, out, response, 20_000); // warm up: JIT, class init
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        sink += run(messages, decoder, out, response, 100_000);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        System.out.println("allocated " + allocated + " bytes over " + 100_000 * messages.length + " decodes (sink " + sink + ")");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
        assertEquals(39, messages.length);
    }

    private static long run(ByteBuffer[] messages, PldmRequestDecoder decoder, ByteBuffer out,
            FileLengthResponse response, int rounds) {
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (ByteBuffer m : messages) {
                int cc = decoder.decode(m, 0, m.limit());
                sink += cc + decoder.kind().ordinal();
                if (decoder.kind() == PldmRequestKind.READ_FILE_BY_TYPE) {
                    sink += decoder.readWriteFileByTypeRequest().length();
                    sink += response.wrap(out, 0, out.capacity())
                            .encode(decoder.instanceId(), decoder.command(), CompletionCodes.SUCCESS, 16);
                } else {
                    sink += decoder.encodeErrorResponse(out, 0, out.capacity(), CompletionCodes.ERROR);
                }
            }
        }
        return sink;
    }
}
