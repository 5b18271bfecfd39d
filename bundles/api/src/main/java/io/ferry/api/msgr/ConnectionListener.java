package io.ferry.api.msgr;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears connection events (Ceph's {@code ms_handle_connect}, {@code ms_handle_accept},
 * {@code ms_handle_reset}, {@code ms_handle_remote_reset}). Called on the connection's event-loop
 * thread; must not block. An exception is logged and otherwise ignored.
 */
@ConsumerType
public interface ConnectionListener {
    /** A client-side handshake completed (also after each reconnect). */
    default void onConnect(Connection connection) {
    }

    /** A server-side handshake completed. */
    default void onAccept(Connection connection) {
    }

    /**
     * A connection faulted. Lossless connections go on reconnecting (or wait in standby); lossy ones
     * are then reset ({@link #onReset}). Handshake refusals (FEATURES, BADPROTOVER, BADAUTHORIZER)
     * arrive here with a reason naming the tag.
     */
    default void onFault(Connection connection, String reason) {
    }

    /** The session ended: lossy fault, refusal, mark down or shutdown. Its messages are gone. */
    default void onReset(Connection connection, String reason) {
    }

    /** The peer told us it lost the session (RESETSESSION); sequence numbers restarted. */
    default void onRemoteReset(Connection connection) {
    }
}
