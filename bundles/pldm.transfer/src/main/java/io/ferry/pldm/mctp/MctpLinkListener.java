package io.ferry.pldm.mctp;

/**
 * Told when a link a transport handed to its {@link MctpReceiver} closes for good: a demux
 * server's client hung up or was closed, a demux client lost the daemon or was closed, an in-JVM
 * end or its peer was closed. The responder uses it to abandon the transfers of a terminus that
 * went away. Called once per link on the transport's event-center thread (for an in-JVM end whose
 * center already shut down: not at all), after the link stopped accepting sends; must not block.
 */
@FunctionalInterface
public interface MctpLinkListener {
    /** @param link the link that closed; {@link MctpLink#isOpen()} is already false */
    void onLinkClosed(MctpLink link);

    /** A listener that does nothing. */
    MctpLinkListener NONE = link -> { };
}
