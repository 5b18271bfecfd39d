package io.ferry.netstack.shm.server;

import io.ferry.netstack.shm.channel.StreamChannelEnd;

/**
 * A listener inside the node, registered by name with
 * {@link ShmControlServer#registerNodeListener}: the server hands it each connection a client
 * makes to that name, and the node stack hands it the connections made from inside the node.
 *
 * <p><b>Threading.</b> {@link #offer} is called on the server's event loop (client connects) or
 * on any thread that connects from inside the node; implementations are thread-safe and never
 * block.
 */
public interface NodeListener {

    /**
     * Queues a new connection.
     *
     * @param end the listener side's end of the channel, attached and ready; the listener owns it
     *     from now on when it returns true (and must close it), the caller when it returns false
     * @param peerAddress the connecting end's address ({@code pid:<pid>/<n>} or {@code node:<n>})
     * @param peerPid the connecting process's pid (the node's own for connections from inside)
     * @return false if the backlog is full or the listener is closing: the connect is refused
     */
    boolean offer(StreamChannelEnd end, String peerAddress, int peerPid);
}
