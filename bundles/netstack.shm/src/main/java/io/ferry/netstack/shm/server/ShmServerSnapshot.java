package io.ferry.netstack.shm.server;

import java.util.List;

/**
 * A point-in-time view of an {@link ShmControlServer} for consoles and tests (taken on the
 * server's thread by {@link ShmControlServer#snapshot()}). Immutable; any thread.
 *
 * @param clients the connected clients
 * @param channels the channels whose memory the server still holds
 */
public record ShmServerSnapshot(List<ClientInfo> clients, List<ChannelInfo> channels) {

    /**
     * One client.
     *
     * @param serial the server's number for the connection, from 1
     * @param pid the peer's pid from {@code SO_PEERCRED}
     * @param uid the peer's uid from {@code SO_PEERCRED}
     * @param helloDone whether HELLO completed
     * @param openChannels channel sides the client holds open
     * @param listeners names it listens on
     */
    public record ClientInfo(long serial, int pid, int uid, boolean helloDone, int openChannels, List<String> listeners) {
    }

    /**
     * One channel, read from the server's mapping (the indexes are the sides' own, unvalidated,
     * shown as they are).
     *
     * @param name the memfd's name
     * @param ringCapacity each ring's capacity
     * @param sideA who drives side A ({@code client <serial> (pid ...)} or {@code node})
     * @param sideB who drives side B
     * @param aOpen side A still open
     * @param bOpen side B still open
     * @param bytesAToB bytes in ring A -&gt; B now ({@code WRITE_INDEX - READ_INDEX})
     * @param bytesBToA bytes in ring B -&gt; A now
     * @param dataWakeupsAToB eventfd writes A made to wake B's reader
     * @param dataWakeupsBToA eventfd writes B made to wake A's reader
     */
    public record ChannelInfo(String name, int ringCapacity, String sideA, String sideB, boolean aOpen, boolean bOpen,
            long bytesAToB, long bytesBToA, long dataWakeupsAToB, long dataWakeupsBToA) {
    }
}
