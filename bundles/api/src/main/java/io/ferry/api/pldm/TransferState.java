package io.ferry.api.pldm;

/** Where a transfer stands. The last four are final. */
public enum TransferState {
    /** Bytes are moving. */
    RUNNING,
    /** Every byte moved and the handler's post-transfer callback answered {@code SUCCESS}; the host got SUCCESS. */
    COMPLETED,
    /** The DMA or the post-transfer callback failed; the host got the error code. */
    FAILED,
    /** The transfer ran past the configured timeout; it was cancelled and the host got {@code ERROR}. */
    TIMED_OUT,
    /** The remote terminus went away or the service shut down; nothing was answered. */
    ABANDONED;

    /** @return true for every state but {@link #RUNNING}. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
