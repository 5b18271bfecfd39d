package io.ferry.api.pldm;

/**
 * A snapshot of a transfer service's counters since it started. Immutable; any thread.
 *
 * @param inFlight DMA transfers running now
 * @param completed transfers (DMA and inline) answered {@code SUCCESS}
 * @param failed transfers answered with an error after they started (DMA error, post-transfer error)
 * @param timedOut DMA transfers cancelled by the timeout and answered {@code ERROR}
 * @param abandoned DMA transfers dropped because the terminus went away or the service closed
 * @param bytes bytes moved by completed transfers
 * @param requests PLDM requests received
 * @param refused requests answered with an error before any transfer started (decode errors,
 *     unknown handles and types, bad ranges and lengths)
 * @param strays messages that asked for no answer and were dropped (responses, datagrams, fragments)
 */
public record TransferCounters(int inFlight, long completed, long failed, long timedOut, long abandoned,
        long bytes, long requests, long refused, long strays) {
}
