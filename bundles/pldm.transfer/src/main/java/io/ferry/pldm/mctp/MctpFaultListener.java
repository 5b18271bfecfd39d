package io.ferry.pldm.mctp;


/**
 * Told once when a transport's connection fails for good (for a demux client: the daemon hung up
 * or the socket failed). Called on the transport's event-center thread after everything has been
 * released; must not block. The transport does not reconnect: its owner creates a new one.
 */
@FunctionalInterface
public interface MctpFaultListener {
    /**
     * @param transport the transport that failed, already closed
     * @param errno the positive errno that ended it, or 0 for an orderly hang-up by the peer
     * @param reason a sentence for logs
     */
    void onFault(MctpTransport transport, int errno, String reason);

    /** A listener that does nothing. */
    MctpFaultListener NONE = (transport, errno, reason) -> { };
}
