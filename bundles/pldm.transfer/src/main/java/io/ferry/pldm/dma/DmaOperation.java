package io.ferry.pldm.dma;

/**
 * One DMA request in progress on one engine. Created by {@link DmaEngine#start}.
 *
 * <p><b>Threading:</b> every method must be called on the event-center thread the operation was
 * started on (the transfer's own thread); none blocks.
 */
public interface DmaOperation {
    /** @return the request this operation carries out. */
    DmaRequest request();

    /** @return the chunking of the request ({@code null} when the length was refused). */
    DmaPlan plan();

    /** @return bytes moved so far (whole chunks for device engines, slices for shm). */
    long bytesTransferred();

    /** @return the index of the chunk in progress, or the chunk count once all are done. */
    int chunkIndex();

    /** @return true once the completion has been called (or is queued to be called). */
    boolean isDone();

    /**
     * Ends the operation now — for a timeout, or because the transfer was abandoned. Releases
     * everything and calls the completion with {@link DmaStatus#ECANCELED} before returning. A
     * device completion that arrives later (a stray DMA response after a host reset) is ignored.
     *
     * @return true if this call ended the operation, false if it had already ended
     */
    boolean cancel();
}
