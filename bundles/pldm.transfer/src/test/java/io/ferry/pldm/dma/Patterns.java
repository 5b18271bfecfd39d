package io.ferry.pldm.dma;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Deterministic byte patterns and descriptor counting for DMA tests. */
final class Patterns {
    private Patterns() {
    }

    static byte at(long seed, long i) {
        long x = (i + seed) * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56 ^ i);
    }

    static void fill(ByteBuffer b, int index, long length, long seed) {
        for (long i = 0; i < length; i++) {
            b.put((int) (index + i), at(seed, i));
        }
    }

    /** @return -1 if the region matches, else the first index that differs. */
    static long mismatch(ByteBuffer b, int index, long length, long seed) {
        for (long i = 0; i < length; i++) {
            if (b.get((int) (index + i)) != at(seed, i)) {
                return i;
            }
        }
        return -1;
    }

    static void writeFile(FileChannel ch, long offset, long length, long seed) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(b.capacity(), length - done);
            b.clear().limit(n);
            for (int i = 0; i < n; i++) {
                b.put(i, at(seed, done + i));
            }
            while (b.hasRemaining()) {
                ch.write(b, offset + done + b.position());
            }
            done += n;
        }
    }

    static long fileMismatch(FileChannel ch, long offset, long length, long seed) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(b.capacity(), length - done);
            b.clear().limit(n);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + done + b.position()) < 0) {
                    return done + b.position();
                }
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) != at(seed, done + i)) {
                    return done + i;
                }
            }
            done += n;
        }
        return -1;
    }

    static int openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
