package io.ferry.pldm.dma;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * The host memory window that the {@code shm} DMA engine emulates: a file mapped
 * {@code READ_WRITE}, shared by the node (through {@link ShmDmaEngine}) and the remote-terminus
 * simulator ({@link #attach(Path)}). A host address is a byte offset into the window. The file is
 * created {@code 0600}, at most {@link #MAX_SIZE} bytes (one {@link MappedByteBuffer}).
 *
 * <p><b>Threading:</b> the mapping is plain shared memory with no synchronisation of its own: the
 * PLDM exchange orders access (the simulator writes host memory before sending
 * WriteFileFromMemory and reads it after the response to ReadFileIntoMemory). {@link #buffer()}
 * returns a new view per call; a view is for one thread. {@link #close()} is idempotent.
 */
public final class ShmWindow implements AutoCloseable {
    /** Largest window: one mapping, addressed by an {@code int} index. */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 7;

    private final Path path;
    private final long size;
    private final MappedByteBuffer mapping;
    private final boolean owner;
    private volatile boolean closed;

    private ShmWindow(Path path, long size, MappedByteBuffer mapping, boolean owner) {
        this.path = path;
        this.size = size;
        this.mapping = mapping;
        this.owner = owner;
    }

    /**
     * Creates a new window file of {@code size} bytes (0600) in {@code directory} and maps it; the
     * window owns the file and deletes it on {@link #close()}.
     *
     * @param directory {@code /dev/shm} in production, a temporary folder in tests
     * @throws IOException if the file cannot be created or mapped
     */
    public static ShmWindow create(Path directory, long size) throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("window size " + size + " outside 1.." + MAX_SIZE);
        }
        Path file;
        try {
            file = Files.createTempFile(directory, "ferry-dma-", ".window",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            file = Files.createTempFile(directory, "ferry-dma-", ".window");
        }
        try {
            return new ShmWindow(file, size, map(file, size, true), true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Maps an existing window (the simulator's side). Closing it leaves the file in place.
     *
     * @throws IOException if the file is missing or cannot be mapped
     */
    public static ShmWindow attach(Path path) throws IOException {
        long size = Files.size(path);
        if (size <= 0 || size > MAX_SIZE) {
            throw new IOException("window " + path + " has size " + size + ", outside 1.." + MAX_SIZE);
        }
        return new ShmWindow(path, size, map(path, size, false), false);
    }

    private static MappedByteBuffer map(Path file, long size, boolean grow) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (grow) {
                ch.truncate(0);
                ch.position(size - 1);
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
            }
            // The mapping stays valid after the channel closes: no descriptor is kept.
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /** @return the window file, for the simulator to {@link #attach(Path)}. */
    public Path path() {
        return path;
    }

    /** @return the window size in bytes: valid host addresses are {@code 0..size-1}. */
    public long size() {
        return size;
    }

    /** @return true if {@code [address, address + length)} lies inside the window. */
    public boolean contains(long address, long length) {
        return address >= 0 && length >= 0 && address <= size && length <= size - address;
    }

    /** @return a new view of the whole window (index = host address), for one thread. */
    public java.nio.ByteBuffer buffer() {
        return mapping.duplicate();
    }

    /** @return true once closed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Deletes the file if this window created it. The mapping itself is released by the JDK when
     * no view is reachable any more (Java 17 has no supported explicit unmap); a view still used by
     * an operation stays valid, so closing never causes a fault.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Nothing to fail: the file lives in a temporary folder and the mapping is unaffected.
            }
        }
    }

    @Override
    public String toString() {
        return "shm window " + path + " (" + size + " B)";
    }
}
