package io.ferry.pldm.mctp;

import java.nio.ByteBuffer;

/**
 * Receives the PLDM messages a transport reads. Called on the transport's event-center thread,
 * never re-entrantly from {@link MctpLink#send}; must not block.
 */
@FunctionalInterface
public interface MctpReceiver {
    /**
     * @param from where the message came from; answer with {@code from.send(eid, response)} to
     *     reach the same requester (for a demux server, the same client socket)
     * @param eid the packet's eid byte: the source endpoint for a demux client and the in-JVM
     *     transport, the addressed (own) endpoint for a demux server; in each case the eid to pass
     *     back to {@code from.send} when answering
     * @param message the PLDM message (header and payload) between position and limit; a view
     *     that is valid only during this call (copy what must outlive it); its content may be
     *     read, its position and limit may be changed
     */
    void onMessage(MctpLink from, int eid, ByteBuffer message);
}
