package io.ferry.api.msgr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A Ceph-style messenger (Ceph's {@code AsyncMessenger}): binds an address, accepts and makes
 * connections over a network stack, sends messages by priority and hands received ones to
 * {@link Dispatcher}s. Registered as an OSGi service with {@value #NAME_PROPERTY}.
 *
 * <p><b>Threading:</b> every method may be called from any thread. Dispatchers and listeners run
 * on the connections' event-loop threads.
 *
 * <p><b>Shutdown:</b> {@link #shutdown()} closes every connection: queued messages are released,
 * listeners hear a reset, later sends return {@code -ESHUTDOWN}. Nothing waits for ever.
 */
@ProviderType
public interface Messenger {
    /** Service property with the messenger's name. */
    String NAME_PROPERTY = "ferry.messenger.name";

    /** @return the messenger's name (the service property). */
    String name();

    /** @return who this messenger is. */
    EntityName myName();

    /** @return the address peers see: the bound one, or a blank address with the nonce until bound. */
    EntityAddress myAddress();

    /**
     * Listens on {@code address} (port 0 picks one) and accepts connections.
     *
     * @return the bound address
     * @throws IOException if the stack refuses the address
     */
    EntityAddress bind(InetSocketAddress address) throws IOException;

    /** Sets the policy for connections with peers of {@code peerType} (accepted and made). */
    void setPolicy(int peerType, Policy policy);

    /** @return the policy for peers of {@code peerType} (the default policy if none was set). */
    Policy policy(int peerType);

    /** Sets the policy for peer types without their own (Ceph's default policy). */
    void setDefaultPolicy(Policy policy);

    /**
     * @return the connection to {@code peer}, made with the policy for {@code peerType} if there was
     *     none; the handshake runs in the background
     * @throws IllegalStateException after shutdown
     */
    Connection connect(EntityAddress peer, int peerType);

    /** Like {@link #connect(EntityAddress, int)} with an explicit policy for a new connection. */
    Connection connect(EntityAddress peer, int peerType, Policy policy);

    /** Adds a dispatcher; dispatchers are offered messages in the order they were added. */
    void addDispatcher(Dispatcher dispatcher);

    void removeDispatcher(Dispatcher dispatcher);

    void addListener(ConnectionListener listener);

    void removeListener(ConnectionListener listener);

    /** @return a snapshot of the connections (open, connecting, accepting, in standby). */
    List<Connection> connections();

    /** Closes every connection and the listener; idempotent. */
    void shutdown();
}
