package io.ferry.pldm.dma;

import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileIoChecks;

/**
 * How one DMA request is split: chunks of exactly {@link #maxTransferSize()} bytes, then one tail
 * chunk with the rest — openbmc/pldm's {@code transferAll} ({@code oem/ibm/libpldmresponder/file_io.hpp}):
 * {@code while (length > maxSize) { dma(maxSize); offset += maxSize; address += maxSize; length -= maxSize; }
 * dma(length);}.
 *
 * <p><b>The 16-byte rules</b> (the anchor's {@code file_io.cpp}, and the "wrong length after
 * chunking" field failure): the length is checked <em>once, before</em> chunking — zero or not a
 * multiple of {@value FileIoChecks#DMA_MIN_SIZE} is refused with
 * {@link CompletionCodes#ERROR_INVALID_LENGTH} (for reads after the length was clipped to the file's
 * end with {@link FileIoChecks#clampLength}); nothing is rounded up, padded or truncated. Because the
 * maximum chunk is itself a multiple of 16 (8 MiB - 4 KiB = 0x7FF000), every chunk, the tail
 * included, is then a non-zero multiple of 16, and the chunks add up to exactly the requested length
 * — which is the length the response reports (the anchor's {@code origLength}), never the tail's.
 *
 * <p>Immutable; any thread. Chunk arithmetic allocates nothing.
 */
public final class DmaPlan {
    /** The largest length a PLDM memory command can carry (a u32). */
    public static final long MAX_LENGTH = 0xFFFF_FFFFL;

    private final long length;
    private final long hostAddress;
    private final int maxTransferSize;
    private final int chunkCount;

    private DmaPlan(long length, long hostAddress, int maxTransferSize) {
        this.length = length;
        this.hostAddress = hostAddress;
        this.maxTransferSize = maxTransferSize;
        this.chunkCount = (int) ((length + maxTransferSize - 1) / maxTransferSize);
    }

    /**
     * The request-level length rule.
     *
     * @return {@link CompletionCodes#SUCCESS} for a non-zero multiple of 16 up to {@link #MAX_LENGTH},
     *     {@link CompletionCodes#ERROR_INVALID_LENGTH} otherwise
     */
    public static int check(long length) {
        if (length > MAX_LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        return FileIoChecks.checkDmaLength(length);
    }

    /** @return true if {@code maxTransferSize} is a usable chunk size (a positive multiple of 16). */
    public static boolean isValidMaxTransferSize(int maxTransferSize) {
        return maxTransferSize > 0 && maxTransferSize % FileIoChecks.DMA_MIN_SIZE == 0;
    }

    /**
     * @param length a length that passed {@link #check(long)}
     * @param hostAddress the host address of the first byte
     * @param maxTransferSize the engine's maximum, a positive multiple of 16
     * @throws IllegalArgumentException if the length or maximum break the rules (check first)
     */
    public static DmaPlan of(long length, long hostAddress, int maxTransferSize) {
        if (check(length) != CompletionCodes.SUCCESS) {
            throw new IllegalArgumentException("DMA length " + length + " is not a non-zero multiple of 16");
        }
        if (!isValidMaxTransferSize(maxTransferSize)) {
            throw new IllegalArgumentException("max transfer size " + maxTransferSize + " is not a positive multiple of 16");
        }
        return new DmaPlan(length, hostAddress, maxTransferSize);
    }

    /** @return the whole length: what the response reports on success. */
    public long length() {
        return length;
    }

    public long hostAddress() {
        return hostAddress;
    }

    public int maxTransferSize() {
        return maxTransferSize;
    }

    public int chunkCount() {
        return chunkCount;
    }

    /** @return the offset of chunk {@code i} from the start of the request (local and host alike). */
    public long chunkOffset(int i) {
        checkIndex(i);
        return (long) i * maxTransferSize;
    }

    /** @return the host address of chunk {@code i}. */
    public long chunkAddress(int i) {
        return hostAddress + chunkOffset(i);
    }

    /** @return the length of chunk {@code i}: the maximum, except the tail which has the rest. */
    public int chunkLength(int i) {
        checkIndex(i);
        return (int) Math.min(maxTransferSize, length - (long) i * maxTransferSize);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= chunkCount) {
            throw new IndexOutOfBoundsException("chunk " + i + " of " + chunkCount);
        }
    }

    @Override
    public String toString() {
        return "DmaPlan[" + length + " B in " + chunkCount + " chunk(s) of <= " + maxTransferSize + "]";
    }
}
