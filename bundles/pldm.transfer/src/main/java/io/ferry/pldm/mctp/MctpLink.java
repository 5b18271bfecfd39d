package io.ferry.pldm.mctp;

import java.nio.ByteBuffer;

/**
 * Something a PLDM message can be sent on: a whole transport, or one client connection of an
 * {@link MctpDemuxServer} (handed to the {@link MctpReceiver} so that a response goes back to the
 * requester that asked).
 *
 * <p><b>Threading:</b> {@link #send} only on the owning event center's thread (else
 * {@link MctpTransport#WRONG_THREAD}); {@link #isOpen()} and {@link #toString()} from any thread.
 */
public interface MctpLink {
    /**
     * Sends one PLDM message (header and payload: {@code message}'s remaining bytes) framed as
     * {@code [eid][0x01][message]}. The bytes are copied before this returns, so the caller may
     * reuse {@code message} at once; its position does not move. Never blocks and never throws
     * for flow control: when the socket is full the packet joins the link's bounded queue and is
     * flushed when the socket becomes writable.
     *
     * @param eid the endpoint id byte to write (the destination; on a demux server's client
     *     connection, the eid the requester addressed, normally the server's own)
     * @return {@link MctpTransport#OK} when sent or queued, or a negative code:
     *     {@link MctpTransport#BACK_PRESSURED}, {@link MctpTransport#NOT_CONNECTED},
     *     {@link MctpTransport#TOO_LARGE}, {@link MctpTransport#INVALID_ARGUMENT},
     *     {@link MctpTransport#WRONG_THREAD}, {@link MctpTransport#NO_ROUTE}
     */
    int send(int eid, ByteBuffer message);

    /** @return true until the link is closed (by either side, or by a fault). */
    boolean isOpen();
}
