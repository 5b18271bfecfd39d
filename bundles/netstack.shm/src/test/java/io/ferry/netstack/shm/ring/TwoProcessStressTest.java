package io.ferry.netstack.shm.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.netstack.shm.ring.StressSupport.Api;
import io.ferry.netstack.shm.ring.StressSupport.SharedEnd;
import io.ferry.netstack.shm.ring.StressSupport.WaitMode;
import io.ferry.testkit.BytePattern;
import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ring between two JVM processes over a shared file mapping (in /dev/shm when there is one):
 * a child JVM ({@link RingStressChild}) produces the pattern for {@code ferry.ring.stress.millis},
 * this JVM consumes and checks every byte in order. Both spin (the doorbells need eventfds, which
 * belong to the channel layer), so what is under test is the cross-process memory ordering of
 * the indexes and the data. The child is killed and the file deleted whatever happens.
 */
class TwoProcessStressTest {

    private static final int CAPACITY = 65_521; // odd, not a power of two: wraps mid-copy

    @ParameterizedTest(name = "{0}")
    @EnumSource(Api.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryByteInOrderBetweenTwoProcesses(Api api) throws Exception {
        int ringLength = StreamRingDescriptor.regionLength(CAPACITY);
        Path dir = Path.of("/dev/shm");
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        Path file = Files.createTempFile(dir, "ferry-ring-test-", ".shm");
        Path log = Files.createTempFile("ferry-ring-child-", ".log");
        Process child = null;
        try {
            MappedByteBuffer map;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.truncate(0);
                map = channel.map(FileChannel.MapMode.READ_WRITE, 0, ringLength + SharedEnd.LENGTH);
            }
            OneToOneByteRing.initialize(map.slice(0, ringLength), CAPACITY);
            SharedEnd end = new SharedEnd(map.slice(ringLength, SharedEnd.LENGTH));
            ByteRingConsumer ring = OneToOneByteRing.consumer(map.slice(0, ringLength));
            long seed = System.nanoTime();

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx64m");
            command.add("-XX:+UseSerialGC");
            command.add("-cp");
            command.add(childClassPath());
            command.add(RingStressChild.class.getName());
            command.add(file.toString());
            command.add(Integer.toString(ringLength));
            command.add(Long.toString(seed));
            command.add(Long.toString(StressSupport.stressMillis()));
            command.add(api.name());
            long start = System.nanoTime();
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            StressSupport.Consumer consumer = new StressSupport.Consumer(ring, new BytePattern(seed), seed + 2, api,
                    WaitMode.SPIN, null, null, new ChildWatchingEnd(end, child, log));
            long consumed;
            try {
                consumed = consumer.run();
            } catch (Throwable t) {
                end.abort();
                throw new AssertionError("seed " + seed + ": " + t.getMessage() + "\nchild output:\n" + read(log), t);
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit");
            long elapsed = System.nanoTime() - start;
            assertEquals(0, child.exitValue(), () -> "child failed:\n" + read(log));
            assertEquals(end.total(), consumed);
            assertTrue(consumed > 10L * CAPACITY, "too few wraps: " + consumed);
            System.out.printf("two processes, %s, capacity %d: %,d bytes (%,d wraps) checked in %d ms (incl. JVM start)%n",
                    api, CAPACITY, consumed, consumed / CAPACITY, TimeUnit.NANOSECONDS.toMillis(elapsed));
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(log);
        }
    }

    /** The stream end, plus: a child that died without finishing aborts the consumer at once. */
    private static final class ChildWatchingEnd implements StressSupport.StreamEnd {
        private final SharedEnd end;
        private final Process child;
        private final Path log;
        private long lastCheck;

        ChildWatchingEnd(SharedEnd end, Process child, Path log) {
            this.end = end;
            this.child = child;
            this.log = log;
        }

        @Override
        public void finish(long total) {
            end.finish(total);
        }

        @Override
        public boolean finished() {
            return end.finished();
        }

        @Override
        public long total() {
            return end.total();
        }

        @Override
        public void abort() {
            end.abort();
        }

        @Override
        public boolean aborted() {
            long now = System.nanoTime();
            if (now - lastCheck > TimeUnit.MILLISECONDS.toNanos(100)) {
                lastCheck = now;
                if (!child.isAlive() && !end.finished()) {
                    throw new AssertionError("child exited with " + child.exitValue() + " before finishing:\n" + read(log));
                }
            }
            return end.aborted();
        }
    }

    /** Where this test's classes, the ring and the test kit were loaded from: all the child needs. */
    private static String childClassPath() throws Exception {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {RingStressChild.class, OneToOneByteRing.class, BytePattern.class}) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no child output: " + e + ")";
        }
    }
}
