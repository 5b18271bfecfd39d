package io.ferry.pldm.dma;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * What one DMA moves: {@code length} bytes between a local region (a {@link FileChannel} at a file
 * offset, or a {@link ByteBuffer} at an absolute index) and the host memory at {@code hostAddress}.
 * {@link Direction#TO_HOST} is the anchor's {@code upstream = 1} (ReadFileIntoMemory,
 * ReadFileByTypeIntoMemory); {@link Direction#FROM_HOST} is {@code upstream = 0}
 * (WriteFileFromMemory, WriteFileByTypeFromMemory).
 *
 * <p>Immutable. The file channel and buffer stay owned by the caller: engines use positional
 * reads and writes and absolute indexes, never a channel's position or a buffer's
 * position/limit, and never close them. Any thread may create one; the local region must not be
 * used by others while the operation runs.
 */
public final class DmaRequest {
    /** Which way the bytes go. */
    public enum Direction {
        /** Local file/buffer to host memory (XDMA {@code upstream = 1}). */
        TO_HOST(1),
        /** Host memory to local file/buffer (XDMA {@code upstream = 0}). */
        FROM_HOST(0);

        private final int upstream;

        Direction(int upstream) {
            this.upstream = upstream;
        }

        /** @return the XDMA op's {@code upstream} field. */
        public int upstream() {
            return upstream;
        }
    }

    private final Direction direction;
    private final FileChannel file;
    private final ByteBuffer buffer;
    private final long localOffset;
    private final long length;
    private final long hostAddress;

    private DmaRequest(Direction direction, FileChannel file, ByteBuffer buffer, long localOffset, long length,
            long hostAddress) {
        this.direction = Objects.requireNonNull(direction, "direction");
        this.file = file;
        this.buffer = buffer;
        if (localOffset < 0) {
            throw new IllegalArgumentException("negative local offset " + localOffset);
        }
        this.localOffset = localOffset;
        this.length = length;
        this.hostAddress = hostAddress;
    }

    /** ReadFileIntoMemory: {@code length} bytes of {@code file} from {@code fileOffset} to the host. */
    public static DmaRequest toHost(FileChannel file, long fileOffset, long length, long hostAddress) {
        return new DmaRequest(Direction.TO_HOST, Objects.requireNonNull(file, "file"), null, fileOffset, length,
                hostAddress);
    }

    /** WriteFileFromMemory: {@code length} bytes of host memory into {@code file} at {@code fileOffset}. */
    public static DmaRequest fromHost(long hostAddress, long length, FileChannel file, long fileOffset) {
        return new DmaRequest(Direction.FROM_HOST, Objects.requireNonNull(file, "file"), null, fileOffset, length,
                hostAddress);
    }

    /** {@code length} bytes of {@code buffer} from absolute {@code index} to the host. */
    public static DmaRequest toHost(ByteBuffer buffer, int index, long length, long hostAddress) {
        return new DmaRequest(Direction.TO_HOST, null, Objects.requireNonNull(buffer, "buffer"), index, length,
                hostAddress);
    }

    /** {@code length} bytes of host memory into {@code buffer} at absolute {@code index}. */
    public static DmaRequest fromHost(long hostAddress, long length, ByteBuffer buffer, int index) {
        return new DmaRequest(Direction.FROM_HOST, null, Objects.requireNonNull(buffer, "buffer"), index, length,
                hostAddress);
    }

    public Direction direction() {
        return direction;
    }

    /** @return the local file, or null when the local side is a buffer. */
    public FileChannel file() {
        return file;
    }

    /** @return the local buffer, or null when the local side is a file. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return the file offset or the buffer index where the local region starts. */
    public long localOffset() {
        return localOffset;
    }

    /** @return bytes to move (a u32 on the wire; checked by {@link DmaPlan#check}). */
    public long length() {
        return length;
    }

    /** @return the host address: a bus address for xdma, an offset into the window for shm. */
    public long hostAddress() {
        return hostAddress;
    }

    /** @return {@link DmaStatus#SUCCESS}, or {@link DmaStatus#EINVAL} when a buffer cannot hold the region. */
    int checkLocalRegion() {
        if (buffer != null) {
            if (localOffset + length > buffer.capacity()) {
                return DmaStatus.EINVAL;
            }
            if (direction == Direction.FROM_HOST && buffer.isReadOnly()) {
                return DmaStatus.EINVAL;
            }
        }
        return DmaStatus.SUCCESS;
    }

    @Override
    public String toString() {
        return direction + " length " + length + " host 0x" + Long.toHexString(hostAddress) + " local "
                + (file != null ? "file@" : "buffer@") + localOffset;
    }
}
