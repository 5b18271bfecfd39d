package io.ferry.netstack.shm.reliability;

import io.ferry.unix.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What this process holds, as the kernel sees it: open descriptors ({@code /proc/self/fd}),
 * memfd mappings ({@code /proc/self/maps} lines naming {@code /memfd:}), the shared memory
 * objects {@link SharedMemory} has mapped, and shm files in {@code /dev/shm}. Any thread.
 */
record ProcessResources(long fds, long memfdMappings, long mappings, int liveSharedMemory, List<String> devShmFiles) {
    /** Descriptors the JVM may open or close by itself meanwhile (class loading, a log file). */
    static final long FD_SLACK = 2;

    static ProcessResources now() throws IOException {
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        long memfd = maps.stream().filter(l -> l.contains("/memfd:")).count();
        return new ProcessResources(fds, memfd, maps.size(), SharedMemory.liveMappings(), devShmFerryFiles());
    }

    /** @return names of {@code /dev/shm} entries that a Ferry process made ({@code ferry-*}). */
    static List<String> devShmFerryFiles() throws IOException {
        Path dir = Path.of("/dev/shm");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ferry-")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** @return whether this snapshot holds no more than {@code baseline} (with {@link #FD_SLACK} for descriptors). */
    boolean backTo(ProcessResources baseline) {
        return fds <= baseline.fds + FD_SLACK && memfdMappings <= baseline.memfdMappings
                && liveSharedMemory <= baseline.liveSharedMemory && devShmFiles.equals(baseline.devShmFiles);
    }

    /**
     * Waits (at most 10 s; the server works on its own thread) until {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} when it does not
     */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Waits (at most 10 s) until this process is back to {@code baseline}; fails with both snapshots. */
    static ProcessResources awaitBackTo(ProcessResources baseline, String when) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ProcessResources now = now();
        while (!now.backTo(baseline)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(when + ": resources not released within 10 s\n  before: " + baseline + "\n  after:  " + now);
            }
            Thread.sleep(10);
            now = now();
        }
        return now;
    }
}
