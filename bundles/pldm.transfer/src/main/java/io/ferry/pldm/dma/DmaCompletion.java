package io.ferry.pldm.dma;

/**
 * Told once when a {@link DmaOperation} ends. Implemented by the transfer that started it.
 *
 * <p><b>Threading:</b> called on the operation's event-center thread, exactly once per operation:
 * on success, on error, on {@link DmaOperation#cancel()} (then before {@code cancel} returns), on
 * engine close and on center shutdown. Never called from inside {@link DmaEngine#start}. Everything
 * the operation held (descriptors, mappings) is already released when it runs. Must not block.
 */
@FunctionalInterface
public interface DmaCompletion {
    /**
     * @param operation the operation that ended
     * @param status {@link DmaStatus#SUCCESS}, a positive PLDM completion code, or a negative errno
     * @param bytesTransferred bytes moved before it ended (the whole length on success)
     */
    void onComplete(DmaOperation operation, int status, long bytesTransferred);
}
