package io.ferry.netstack.shm.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.netstack.shm.channel.ChannelTestSupport.Mode;
import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import io.ferry.testkit.BytePattern;
import io.ferry.testkit.PatternVerifier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two threads stream 256 MiB through a 128 KiB channel, every byte checked against a
 * {@link BytePattern}, in blocking, non-blocking and busy-poll modes; the doorbell counters must
 * add up and show skipped wake-ups.
 */
class StreamChannelStreamingTest {

    private static final long TOTAL = 256L << 20;

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldStreamEveryByteInOrderThrough128KiBChannel(Mode mode) throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(StreamRingDescriptor.DEFAULT_CAPACITY);
        try (StreamChannelEnd writer = pair.a(); StreamChannelEnd reader = pair.b()) {
            long seed = System.nanoTime();
            BytePattern pattern = new BytePattern(seed);
            PatternVerifier verifier = ChannelTestSupport.runPair(
                    () -> ChannelTestSupport.writePattern(writer, pattern, TOTAL, mode, seed + 1),
                    () -> ChannelTestSupport.readPattern(reader, pattern, mode, seed + 2));

            assertTrue(verifier.isIntact(TOTAL), verifier.describe());
            assertEquals(TOTAL, writer.bytesWritten());
            assertEquals(TOTAL, reader.bytesRead());
            assertDoorbellAccounting(writer, reader);
            System.out.printf("%s: data wake-ups sent %d, skipped %d; space wake-ups sent %d, skipped %d;"
                            + " writer sleeps %d, reader sleeps %d%n", mode, writer.dataWakeupsSent(),
                    writer.dataWakeupsSkipped(), reader.spaceWakeupsSent(), reader.spaceWakeupsSkipped(),
                    writer.sleeps(), reader.sleeps());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStreamInBusyPollModeWithoutAnyEventfdWrite() throws Exception {
        StreamChannelPair pair = StreamChannelPair.create(StreamRingDescriptor.DEFAULT_CAPACITY);
        try (StreamChannelEnd writer = pair.a(); StreamChannelEnd reader = pair.b()) {
            writer.setBusyPoll(true);
            reader.setBusyPoll(true);
            long seed = System.nanoTime();
            BytePattern pattern = new BytePattern(seed);
            long total = 64L << 20;
            PatternVerifier verifier = ChannelTestSupport.runPair(
                    () -> ChannelTestSupport.writePattern(writer, pattern, total, Mode.BLOCKING, seed + 1),
                    () -> ChannelTestSupport.readPattern(reader, pattern, Mode.BLOCKING, seed + 2));

            assertTrue(verifier.isIntact(total), verifier.describe());
            assertDoorbellAccounting(writer, reader);
            // Neither side ever announced idleness after the first wake-up: no system call to wake
            // a peer (at most one data wake-up, for the reader that was idle since creation).
            assertTrue(writer.dataWakeupsSent() <= 1, "data wake-ups " + writer.dataWakeupsSent());
            assertEquals(0, reader.spaceWakeupsSent());
            assertEquals(0, writer.sleeps());
            assertEquals(0, reader.sleeps());
        }
    }

    static void assertDoorbellAccounting(StreamChannelEnd writer, StreamChannelEnd reader) {
        assertEquals(writer.dataWakeupOpportunities(),
                writer.dataWakeupsSent() + writer.dataWakeupsSkipped() + writer.dataWakeupFailures(),
                "data doorbell: sent + skipped + failed == opportunities");
        assertEquals(0, writer.dataWakeupFailures());
        assertTrue(writer.dataWakeupsSkipped() > 0, "the reader was busy at least once");
        assertEquals(reader.spaceWakeupOpportunities(),
                reader.spaceWakeupsSent() + reader.spaceWakeupsSkipped() + reader.spaceWakeupFailures(),
                "space doorbell: sent + skipped + failed == opportunities");
        assertEquals(0, reader.spaceWakeupFailures());
        assertTrue(reader.spaceWakeupsSkipped() > 0);
        assertTrue(writer.dataWakeupsSent() < writer.dataWakeupOpportunities());
    }
}
