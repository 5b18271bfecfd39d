package io.ferry.api.pldm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about the DMA transfers of a {@link TransferService}. Register with
 * {@link TransferService#addListener}.
 *
 * <p><b>Threading:</b> called on the service's event-loop thread; must return quickly and never
 * block (hand work to another thread if needed). An exception thrown by a listener is logged and
 * ignored.
 */
@ConsumerType
public interface TransferListener {
    /** A DMA transfer started (its state is {@link TransferState#RUNNING}). */
    default void transferStarted(TransferInfo transfer) {
    }

    /** Bytes moved since the last report; called at most once per progress interval per transfer. */
    default void transferProgress(TransferInfo transfer) {
    }

    /** The transfer ended; {@link TransferInfo#state()} says how. Called once per transfer. */
    default void transferEnded(TransferInfo transfer) {
    }
}
