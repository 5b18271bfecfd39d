package io.ferry.pldm.dma;

import io.ferry.api.event.Pollable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open client of the XDMA device — the seam between {@link XdmaDmaEngine} and
 * {@code /dev/aspeed-xdma} ({@link JnaXdmaDevice}), so that the engine can be tested against a fake.
 * The kernel driver's contract, which a fake must mimic: a write of one 16-byte op starts a DMA and
 * returns at once on a non-blocking descriptor, or fails with {@code EBUSY} while another client's
 * DMA runs (or {@code EAGAIN} while the driver's lock is contended); the descriptor polls readable
 * when the client's DMA finished (with {@code POLLERR} if it failed) and writable when the engine
 * is free for a new op.
 *
 * <p><b>Threading:</b> one event-loop thread uses a device, except {@link #close()} which may run
 * on the engine's releaser thread (it may block: the kernel waits for an in-flight DMA in munmap).
 */
public interface XdmaDevice extends AutoCloseable {
    /** Opens devices; {@link XdmaDmaEngine} opens one per operation, as the anchor does. */
    interface Factory {
        /** @return null if devices can be opened here, else the reason (shown by {@code isAvailable}). */
        String unavailableReason();

        /**
         * Opens the device non-blocking and maps {@code mapSize} bytes of its BMC-side buffer.
         *
         * @param mapSize a multiple of the page size
         * @throws IOException with the errno text if the device cannot be opened or mapped
         */
        XdmaDevice open(int mapSize) throws IOException;
    }

    /** @return the descriptor to poll for completion (readable) and a free engine (writable). */
    Pollable pollable();

    /** @return the BMC-side buffer (the device mapping), from index 0, at least {@code mapSize} bytes. */
    ByteBuffer buffer();

    /** @return the 16 bytes {@link #submit()} writes; the engine fills it with {@link XdmaOpDescriptor}. */
    ByteBuffer op();

    /**
     * Writes {@link #op()} to the device: starts the DMA.
     *
     * @return 0, or a negative errno ({@link DmaStatus#EBUSY} / {@link DmaStatus#EAGAIN}: retry when
     *     writable; anything else: failed)
     */
    int submit();

    /**
     * Asks, without waiting, how the submitted DMA stands.
     *
     * @return 0 if it finished, {@link DmaStatus#EINPROGRESS} if it still runs (a spurious or stray
     *     readiness), or a negative errno if it failed
     */
    int completion();

    /** Unmaps the buffer and closes the descriptor. Idempotent. May block (see above). */
    @Override
    void close();
}
