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
 * created {@code 0600}, at most {@link #MAX_SIZE} bytes of host memory (one {@link MappedByteBuffer}).
 *
 * <p><b>Stall control.</b> After the host memory the file holds a control page of
 * {@link #CONTROL_LENGTH} bytes (not addressable by DMA): {@value #STALL_SLOTS} slots of
 * {@code {u64 start, u64 end}} (little-endian, at {@link #STALL_SLOTS_OFFSET} of the page), each
 * naming a host address range the host has stopped serving, as a host that hangs mid-DMA does.
 * The simulator sets a range with {@link #stall} and clears it with {@link #resume}, from its own
 * process if need be; {@link ShmDmaEngine} checks {@link #isStalled} before each slice and, for a
 * stalled range, waits on a timer and checks again (never spinning), so such a transfer ends only
 * by the responder's timeout or by a resume. Slot words are written with release and read with
 * acquire semantics.
 *
 * <p><b>Threading:</b> the mapping is plain shared memory with no synchronisation of its own: the
 * PLDM exchange orders access (the simulator writes host memory before sending
 * WriteFileFromMemory and reads it after the response to ReadFileIntoMemory). {@link #buffer()}
 * returns a new view per call; a view is for one thread. {@link #close()} is idempotent.
 */
public final class ShmWindow implements AutoCloseable {
    /** Largest window: one mapping, addressed by an {@code int} index. */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 7 - 4096;
    /** Bytes of the control page after the host memory. */
    public static final int CONTROL_LENGTH = 4096;
    /** Stall slots in the control page. */
    public static final int STALL_SLOTS = 32;
    /** Offset of the first stall slot in the control page; each slot is 16 bytes. */
    public static final int STALL_SLOTS_OFFSET = 64;
    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteBufferViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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
            return new ShmWindow(file, size, map(file, size + CONTROL_LENGTH, true), true);
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
        long fileSize = Files.size(path);
        long size = fileSize - CONTROL_LENGTH;
        if (size <= 0 || size > MAX_SIZE) {
            throw new IOException("window " + path + " has size " + fileSize + ", outside " + (1 + CONTROL_LENGTH) + ".."
                    + (MAX_SIZE + CONTROL_LENGTH));
        }
        return new ShmWindow(path, size, map(path, fileSize, false), false);
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

    /** @return a new view of the whole host memory (index = host address), for one thread. */
    public java.nio.ByteBuffer buffer() {
        return mapping.slice(0, (int) size);
    }

    private int slotIndex(int slot) {
        return (int) size + STALL_SLOTS_OFFSET + slot * 16;
    }

    /**
     * Stops the host from serving DMA to or from {@code [address, address + length)} until
     * {@link #resume}. Any thread, any process mapping the window.
     *
     * @return the slot used (for {@link #resume}), or -1 when all {@value #STALL_SLOTS} slots are taken
     */
    public synchronized int stall(long address, long length) {
        if (length <= 0 || !contains(address, length)) {
            throw new IllegalArgumentException("range " + address + "+" + length + " is not inside the window");
        }
        for (int i = 0; i < STALL_SLOTS; i++) {
            int at = slotIndex(i);
            if ((long) LONGS.getAcquire(mapping, at + 8) == 0) {
                LONGS.setRelease(mapping, at, address);
                LONGS.setRelease(mapping, at + 8, address + length);
                return i;
            }
        }
        return -1;
    }

    /** Clears stall slot {@code slot}: DMA to its range goes on at the next check. Any thread. */
    public void resume(int slot) {
        if (slot < 0 || slot >= STALL_SLOTS) {
            throw new IllegalArgumentException("no stall slot " + slot);
        }
        LONGS.setRelease(mapping, slotIndex(slot) + 8, 0L);
    }

    /** Clears every stall slot. Any thread. */
    public void resumeAll() {
        for (int i = 0; i < STALL_SLOTS; i++) {
            resume(i);
        }
    }

    /** @return true if any part of {@code [address, address + length)} is stalled. Any thread; allocates nothing. */
    public boolean isStalled(long address, long length) {
        long end = address + length;
        for (int i = 0; i < STALL_SLOTS; i++) {
            int at = slotIndex(i);
            long slotEnd = (long) LONGS.getAcquire(mapping, at + 8);
            if (slotEnd != 0 && address < slotEnd && (long) LONGS.getAcquire(mapping, at) < end) {
                return true;
            }
        }
        return false;
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
