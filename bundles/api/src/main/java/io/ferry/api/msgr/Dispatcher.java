package io.ferry.api.msgr;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives messages (Ceph's {@code Dispatcher}). Add one with {@link Messenger#addDispatcher}, or
 * register it as an OSGi service (whiteboard) with the {@value #TYPES_PROPERTY} property listing
 * the message types it wants ({@code "2"}, {@code "0x11,0x12"} or {@code "*"}); messengers pick
 * it up.
 *
 * <p><b>Threading:</b> called on the event-loop thread of the connection the message arrived on;
 * must not block. To work on a message elsewhere, take it (return true) and hand it to another
 * thread; {@link Message#release()} it when done. Until then its bytes count against the receive
 * throttle, so a slow consumer slows its peers down instead of filling memory.
 */
@ConsumerType
public interface Dispatcher {
    /** Service property: the message types this dispatcher wants (comma separated, hex with 0x, or *). */
    String TYPES_PROPERTY = "ferry.msgr.types";

    /**
     * @return true if this dispatcher wants messages of {@code type} (the whiteboard property
     *     answers this for services)
     */
    default boolean wants(int type) {
        return true;
    }

    /**
     * Offers a message.
     *
     * @return true if the dispatcher took it (and will release it); false to offer it to the next
     *     dispatcher (the messenger releases messages nobody takes and counts them)
     */
    boolean dispatch(Connection connection, Message message);
}
