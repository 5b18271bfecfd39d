package io.ferry.netstack.shm.server;

import io.ferry.netstack.shm.channel.StreamChannelDescriptor;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import io.ferry.unix.EventFd;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.UnixException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The server's record of one stream channel: its own size-sealed memfd (mapped here too, so the
 * server can close a dead side on its behalf and read statistics) and its four eventfds (data and
 * space per direction), plus who drives each side. Freed when both sides are closed. Confined to
 * the server's event loop.
 */
final class ServerChannel {

    /** One side of the channel: a client (with its channel id) or the node ({@code client == null}). */
    static final class Side {
        final ServerChannel channel;
        final int side;
        final Object client; // ShmControlServer.Client, or null for the node
        final long channelId;
        boolean open = true;
        boolean closeNoticeSent;

        Side(ServerChannel channel, int side, Object client, long channelId) {
            this.channel = channel;
            this.side = side;
            this.client = client;
            this.channelId = channelId;
        }
    }

    final String name;
    final int ringCapacity;
    final SharedMemory memory;
    private final EventFd dataAB;
    private final EventFd spaceAB;
    private final EventFd dataBA;
    private final EventFd spaceBA;
    Side a;
    Side b;

    private ServerChannel(String name, int ringCapacity, SharedMemory memory, EventFd[] fds) {
        this.name = name;
        this.ringCapacity = ringCapacity;
        this.memory = memory;
        this.dataAB = fds[0];
        this.spaceAB = fds[1];
        this.dataBA = fds[2];
        this.spaceBA = fds[3];
    }

    /** Creates the memfd (size-sealed), formats the channel, creates the eventfds; nothing leaks on failure. */
    static ServerChannel create(int ringCapacity, String name) throws UnixException {
        int size = StreamChannelDescriptor.sizeFor(ringCapacity);
        SharedMemory memory = SharedMemory.create(name, size, true);
        EventFd[] fds = new EventFd[4];
        try {
            if (memory.sealSize() != 0) {
                throw new UnixException("cannot seal channel memory " + name, io.ferry.api.net.Errno.ENOMEM);
            }
            for (int i = 0; i < fds.length; i++) {
                fds[i] = EventFd.create();
            }
            StreamChannelDescriptor.initialize(memory.buffer(), ringCapacity);
            return new ServerChannel(name, ringCapacity, memory, fds);
        } catch (UnixException | RuntimeException e) {
            for (EventFd fd : fds) {
                if (fd != null) {
                    fd.close();
                }
            }
            memory.close();
            throw e;
        }
    }

    /** @return {@code side}'s doorbells (dataIn, spaceOut, dataOut, spaceIn). */
    StreamChannelEnd.Doorbells doorbells(int side) {
        return side == StreamChannelDescriptor.SIDE_A
                ? new StreamChannelEnd.Doorbells(dataBA, spaceAB, dataAB, spaceBA)
                : new StreamChannelEnd.Doorbells(dataAB, spaceBA, dataBA, spaceAB);
    }

    /** Fills CHANNEL_READY's descriptors for {@code side}: memfd, dataIn, spaceOut, dataOut, spaceIn. */
    void fillFds(int side, int[] fds) {
        StreamChannelEnd.Doorbells d = doorbells(side);
        fds[0] = memory.fd();
        fds[1] = d.dataIn().fd();
        fds[2] = d.spaceOut().fd();
        fds[3] = d.dataOut().fd();
        fds[4] = d.spaceIn().fd();
    }

    /** Rings the doorbells of the side opposite {@code goneSide} (its reader and its blocked writer). */
    void ringSurvivorOf(int goneSide) {
        StreamChannelEnd.Doorbells gone = doorbells(goneSide);
        gone.dataOut().signal(1);
        gone.spaceIn().signal(1);
    }

    Side other(Side side) {
        return side == a ? b : a;
    }

    void free() {
        dataAB.close();
        spaceAB.close();
        dataBA.close();
        spaceBA.close();
        memory.close();
    }

    ShmServerSnapshot.ChannelInfo info() {
        ByteBuffer region = memory.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int ab = StreamChannelDescriptor.ringOffset(ringCapacity, StreamChannelDescriptor.SIDE_A);
        int ba = StreamChannelDescriptor.ringOffset(ringCapacity, StreamChannelDescriptor.SIDE_B);
        return new ShmServerSnapshot.ChannelInfo(name, ringCapacity, describe(a), describe(b), a != null && a.open,
                b != null && b.open, fill(region, ab), fill(region, ba),
                region.getLong(ab + StreamRingDescriptor.DATA_WAKEUPS_SENT_OFFSET),
                region.getLong(ba + StreamRingDescriptor.DATA_WAKEUPS_SENT_OFFSET));
    }

    private long fill(ByteBuffer region, int ring) {
        long w = region.getLong(ring + StreamRingDescriptor.WRITE_INDEX_OFFSET);
        long r = region.getLong(ring + StreamRingDescriptor.READ_INDEX_OFFSET);
        long twice = 2L * ringCapacity;
        return Math.floorMod(w - r, twice);
    }

    private static String describe(Side side) {
        return side == null ? "-" : side.client == null ? "node" : String.valueOf(side.client);
    }
}
