package io.ferry.pldm.engine;

import java.nio.file.Path;

/**
 * Settings of a {@link TransferEngine}, with {@code *_DEFAULT}s. Immutable; any thread. (A
 * ConfigAdmin/metatype component maps its properties onto this record.)
 *
 * @param tid the terminus id answered to GetTID (1..254)
 * @param timeoutMillis how long one DMA transfer may run before it is cancelled and answered
 *     {@code ERROR} (the anchor's 20 s)
 * @param fileTableDirectory the directory whose regular files make the GetFileTable table and are
 *     served by handle to ReadFile/WriteFile and Read/WriteFile{Into,From}Memory; {@code null}: no
 *     table (GetFileTable answers 0x83, by-handle commands 0x86)
 * @param maxInlineLength the most data bytes one ReadFile/ReadFileByType response carries (longer
 *     reads are clipped, as at a file's end) and one WriteFile/WriteFileByType may carry
 *     (else {@code ERROR_INVALID_LENGTH}); must leave room in the transport's maximum message
 * @param maxTransfers DMA transfers running at once; more are answered {@code ERROR_NOT_READY}
 * @param progressIntervalMillis how often the {@code transfers()} snapshot and progress events are
 *     refreshed while transfers run
 * @param offerTimeoutMillis how long {@code offerFile} waits for the host's response and FileAck
 */
public record TransferEngineConfig(int tid, long timeoutMillis, Path fileTableDirectory, int maxInlineLength,
        int maxTransfers, long progressIntervalMillis, long offerTimeoutMillis) {
    public static final int TID_DEFAULT = 1;
    /** The anchor's DMA timeout: 20 s. */
    public static final long TIMEOUT_MILLIS_DEFAULT = 20_000;
    /** 60 KiB: inside the 64 KiB MCTP message default with room for headers. */
    public static final int MAX_INLINE_LENGTH_DEFAULT = 60 * 1024;
    public static final int MAX_TRANSFERS_DEFAULT = 256;
    public static final long PROGRESS_INTERVAL_MILLIS_DEFAULT = 250;
    public static final long OFFER_TIMEOUT_MILLIS_DEFAULT = 60_000;

    public TransferEngineConfig {
        if (tid < 1 || tid > 254) {
            throw new IllegalArgumentException("tid must be 1..254, not " + tid);
        }
        if (timeoutMillis < 1 || progressIntervalMillis < 1 || offerTimeoutMillis < 1) {
            throw new IllegalArgumentException("timeouts and intervals must be positive");
        }
        if (maxInlineLength < 1 || maxTransfers < 1) {
            throw new IllegalArgumentException("maxInlineLength and maxTransfers must be positive");
        }
    }

    /** @return the defaults, without a file table. */
    public static TransferEngineConfig defaults() {
        return new TransferEngineConfig(TID_DEFAULT, TIMEOUT_MILLIS_DEFAULT, null, MAX_INLINE_LENGTH_DEFAULT,
                MAX_TRANSFERS_DEFAULT, PROGRESS_INTERVAL_MILLIS_DEFAULT, OFFER_TIMEOUT_MILLIS_DEFAULT);
    }

    /** @return a copy with another DMA timeout. */
    public TransferEngineConfig withTimeoutMillis(long millis) {
        return new TransferEngineConfig(tid, millis, fileTableDirectory, maxInlineLength, maxTransfers,
                progressIntervalMillis, offerTimeoutMillis);
    }

    /** @return a copy serving {@code directory} as the file table. */
    public TransferEngineConfig withFileTableDirectory(Path directory) {
        return new TransferEngineConfig(tid, timeoutMillis, directory, maxInlineLength, maxTransfers,
                progressIntervalMillis, offerTimeoutMillis);
    }

    /** @return a copy with another terminus id. */
    public TransferEngineConfig withTid(int newTid) {
        return new TransferEngineConfig(newTid, timeoutMillis, fileTableDirectory, maxInlineLength, maxTransfers,
                progressIntervalMillis, offerTimeoutMillis);
    }

    /** @return a copy with other limits. */
    public TransferEngineConfig withLimits(int inline, int transfers) {
        return new TransferEngineConfig(tid, timeoutMillis, fileTableDirectory, inline, transfers,
                progressIntervalMillis, offerTimeoutMillis);
    }
}
