package io.ferry.api.msgr;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A session with one peer (Ceph's {@code Connection}): queues, sequence numbers and the socket
 * under them, which may be replaced after faults without the session changing.
 *
 * <p><b>Threading:</b> every method may be called from any thread. The getters are snapshots of
 * values the owning event loop updates.
 */
@ProviderType
public interface Connection {

    /** Where the session is in its life. */
    enum State {
        /** Client side: connecting, exchanging banners, addresses and connect/reply. */
        CONNECTING,
        /** Server side: reading the peer's banner and connect message. */
        ACCEPTING,
        /** Messages flow. */
        OPEN,
        /** Faulted with nothing to send; waits for the peer (server) or for a message to send. */
        STANDBY,
        /** Backing off before the next connect attempt. */
        WAIT,
        /** Done: nothing more is sent or received. */
        CLOSED
    }

    /** @return the peer's address (for an accepted connection, as the peer announced it). */
    EntityAddress peerAddress();

    /** @return the peer's entity type ({@link EntityName#TYPE_MON} ...), or -1 while unknown. */
    int peerType();

    /** @return the policy in force (the server decides lossiness, so it may change at connect). */
    Policy policy();

    /** @return the feature bits both sides agreed on (0 before the first handshake). */
    long features();

    State state();

    /** @return the sequence number of the last message written. */
    long outSeq();

    /** @return the sequence number of the last message received and accepted. */
    long inSeq();

    /** @return messages queued and not yet written. */
    int queuedMessages();

    /** @return messages written and not yet acknowledged (lossless connections keep them to resend). */
    int unackedMessages();

    /** @return the connect_seq of the session (how many times it was (re)established). */
    int connectSeq();

    /** @return the last reason this connection faulted or was refused, or null. */
    String lastError();

    /** @return {@link System#nanoTime()} when the last KEEPALIVE2_ACK arrived, or 0 if none did. */
    long lastKeepaliveAckNanos();

    /** @return the round trip of the last KEEPALIVE2/KEEPALIVE2_ACK pair in nanoseconds, or -1. */
    long lastKeepaliveRoundTripNanos();

    /**
     * Queues {@code message} by its priority; ownership passes to the connection.
     *
     * @return 0, or {@code -ESHUTDOWN} (108) if the connection is closed, in which case the message
     *     was released
     */
    int send(Message message);

    /** Queues a KEEPALIVE2 (the peer echoes its time stamp in a KEEPALIVE2_ACK). */
    void sendKeepalive();

    /**
     * Closes the session: queued and unacknowledged messages are released, listeners hear a reset,
     * and the connection leaves its messenger. Idempotent.
     */
    void markDown();
}
