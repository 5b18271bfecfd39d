package io.ferry.netstack.shm.channel;

import io.ferry.testkit.BytePattern;
import io.ferry.testkit.PatternVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Shared fixtures of the channel tests: pattern pumps, eventfd inspection, fd counting. */
final class ChannelTestSupport {

    static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    private ChannelTestSupport() {
    }

    /** @return the eventfd's counter, read from /proc/self/fdinfo without draining it. */
    static long eventfdCount(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("eventfd-count:")) {
                return Long.parseLong(line.substring("eventfd-count:".length()).trim(), 16);
            }
        }
        throw new IOException("fd " + fd + " is not an eventfd");
    }

    /** @return the number of open descriptors of this process. */
    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** How a pump moves bytes. */
    enum Mode {
        /** Timed blocking calls. */
        BLOCKING,
        /** Non-blocking calls retried on -EAGAIN (bounded by a deadline). */
        NON_BLOCKING
    }

    /**
     * Writes {@code total} bytes of {@code pattern} in chunks of random length (1 .. 3 * ring),
     * then shuts the output down.
     */
    static void writePattern(StreamChannelEnd end, BytePattern pattern, long total, Mode mode, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int maxChunk = 3 * end.ringCapacity();
        ByteBuffer buffer = ByteBuffer.allocateDirect(maxChunk);
        long offset = 0;
        long deadline = System.nanoTime() + 4 * TIMEOUT;
        while (offset < total) {
            int len = (int) Math.min(total - offset, 1 + random.nextInt(maxChunk));
            buffer.clear().limit(len);
            pattern.fill(buffer, offset);
            buffer.flip();
            while (buffer.hasRemaining()) {
                int n = mode == Mode.BLOCKING ? end.write(buffer, TIMEOUT) : end.write(buffer);
                if (n == -io.ferry.api.net.Errno.EAGAIN && mode == Mode.NON_BLOCKING) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("writer made no progress before the deadline: " + end);
                    }
                    Thread.yield();
                    continue;
                }
                if (n <= 0) {
                    throw new AssertionError("write returned " + n + " at offset " + offset + ": " + end);
                }
            }
            offset += len;
        }
        if (end.shutdownOutput() != 0) {
            throw new AssertionError("shutdownOutput failed: " + end);
        }
    }

    /** Reads until end of stream, checking every byte; returns the verifier. */
    static PatternVerifier readPattern(StreamChannelEnd end, BytePattern pattern, Mode mode, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PatternVerifier verifier = new PatternVerifier(pattern);
        int maxChunk = 2 * end.ringCapacity();
        ByteBuffer buffer = ByteBuffer.allocateDirect(maxChunk);
        long deadline = System.nanoTime() + 4 * TIMEOUT;
        while (true) {
            buffer.clear().limit(1 + random.nextInt(maxChunk));
            int n = mode == Mode.BLOCKING ? end.read(buffer, TIMEOUT) : end.read(buffer);
            if (n == -io.ferry.api.net.Errno.EAGAIN && mode == Mode.NON_BLOCKING) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("reader made no progress before the deadline: " + end);
                }
                Thread.yield();
                continue;
            }
            if (n == 0) {
                return verifier;
            }
            if (n < 0) {
                throw new AssertionError("read returned " + n + " after " + verifier.received() + " bytes: " + end);
            }
            buffer.flip();
            verifier.accept(buffer);
            if (verifier.firstMismatch() >= 0) {
                throw new AssertionError("wrong byte: " + verifier.describe());
            }
        }
    }

    /** Runs {@code writer} on a second thread and {@code reader} here; rethrows the writer's failure. */
    static <T> T runPair(Runnable writer, java.util.function.Supplier<T> reader) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                writer.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "channel-writer");
        thread.start();
        T result;
        try {
            result = reader.get();
        } finally {
            thread.join(TimeUnit.NANOSECONDS.toMillis(4 * TIMEOUT));
        }
        if (failure.get() != null) {
            throw new AssertionError("writer failed", failure.get());
        }
        if (thread.isAlive()) {
            throw new AssertionError("writer still running");
        }
        return result;
    }
}
