package io.ferry.pldm.dma;

import io.ferry.api.event.EventCenter;

/**
 * A way to move bytes between the node and host memory (the SPI the TransferService picks an
 * engine from): {@code shm} for the simulated host, {@code xdma} for an Aspeed BMC.
 *
 * <p><b>Threading:</b> {@link #start} must be called on {@code center}'s thread and never blocks;
 * all work of the operation happens on that thread and its completion is called there.
 * {@link #name()}, {@link #maxTransferSize()}, {@link #isAvailable()}, {@link #unavailableReason()},
 * {@link #openOperations()} and {@link #close()} may be called from any thread.
 *
 * <p><b>Errors:</b> never thrown for a request: a bad length, an address outside the host memory,
 * a device that cannot be opened — each is a status given to the completion. Only programming
 * errors throw (null arguments, calling {@code start} off the center's thread).
 *
 * <p><b>Shutdown:</b> {@link #close()} fails every pending operation with
 * {@link DmaStatus#ESHUTDOWN} on its own center thread (or releases it directly when that center
 * is already shut down), and makes later {@code start}s complete with {@code ESHUTDOWN}. It does
 * not wait for the completions.
 */
public interface DmaEngine extends AutoCloseable {
    /** @return the engine's name, {@code "shm"} or {@code "xdma"}. */
    String name();

    /** @return the most bytes one DMA moves; a positive multiple of 16. */
    int maxTransferSize();

    /** @return true if operations can run on this machine. */
    boolean isAvailable();

    /** @return why {@link #isAvailable()} is false, or null when it is true. */
    String unavailableReason();

    /**
     * Starts moving {@code request}'s bytes. Returns at once; {@code completion} is called later,
     * exactly once, on {@code center}'s thread (never from inside this call, even for a refused
     * request).
     *
     * @throws IllegalStateException if not called on {@code center}'s thread
     */
    DmaOperation start(DmaRequest request, EventCenter center, DmaCompletion completion);

    /** @return operations started and not yet released (tests assert 0 after every path). */
    int openOperations();

    /** Fails pending operations and releases the engine's own resources. Idempotent; any thread. */
    @Override
    void close();
}
