package io.ferry.messenger.component;

import java.util.List;
import java.util.Map;

/**
 * A messenger's counters over JMX, as {@code io.ferry:type=Messenger,name=<name>}, while its
 * component is active. Snapshots; any thread.
 */
public interface MessengerMXBean {
    String getName();

    String getEntity();

    /** @return the bound address ({@code v1:ip:port/nonce}), or the blank one of a client-only messenger. */
    String getAddress();

    String getStack();

    int getConnectionCount();

    /** @return one line per connection: peer, type, state, policy, out_seq, in_seq, queued, unacked. */
    List<String> getConnections();

    long getMessagesHeld();

    long getBytesHeld();

    /** @return sent, received, bytesIn, bytesOut, faults, reconnects, refusals, badFrames, ... by name. */
    Map<String, Long> getCounters();
}
