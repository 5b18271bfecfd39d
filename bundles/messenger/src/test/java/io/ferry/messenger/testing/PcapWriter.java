package io.ferry.messenger.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a TCP conversation as a classic pcap (Ethernet, IPv4, TCP) that Wireshark reassembles:
 * a three-way handshake, then each recorded chunk in segments of at most {@link #MSS} bytes with
 * consistent sequence and acknowledgement numbers. IPv4 header checksums are right; TCP checksums
 * are left 0 (Wireshark does not verify them by default).
 */
public final class PcapWriter {
    public static final int MSS = 1448;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    private final InetSocketAddress client;
    private final InetSocketAddress server;
    private long clientSeq = 1000;
    private long serverSeq = 5000;
    private long micros = 1_700_000_000_000_000L;
    private int ipId = 1;

    public PcapWriter(InetSocketAddress client, InetSocketAddress server) {
        this.client = client;
        this.server = server;
    }

    public void write(Path file, List<RecordingStack.Chunk> chunks) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            g.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(g.array());
            packet(out, true, SYN, new byte[0], 0, 0);
            clientSeq++;
            packet(out, false, SYN | ACK, new byte[0], 0, 0);
            serverSeq++;
            packet(out, true, ACK, new byte[0], 0, 0);
            for (RecordingStack.Chunk c : chunks) {
                byte[] b = c.bytes();
                for (int at = 0; at < b.length; at += MSS) {
                    int n = Math.min(MSS, b.length - at);
                    packet(out, c.fromClient(), ACK | PSH, b, at, n);
                    if (c.fromClient()) {
                        clientSeq += n;
                    } else {
                        serverSeq += n;
                    }
                }
            }
        }
    }

    private void packet(OutputStream out, boolean fromClient, int flags, byte[] payload, int off, int len) throws IOException {
        InetSocketAddress src = fromClient ? client : server;
        InetSocketAddress dst = fromClient ? server : client;
        int total = 14 + 20 + 20 + len;
        ByteBuffer p = ByteBuffer.allocate(16 + total).order(ByteOrder.LITTLE_ENDIAN);
        micros += 10;
        p.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(total).putInt(total);
        p.order(ByteOrder.BIG_ENDIAN);
        p.put(new byte[] {2, 0, 0, 0, 0, (byte) (fromClient ? 2 : 1)}).put(new byte[] {2, 0, 0, 0, 0, (byte) (fromClient ? 1 : 2)});
        p.putShort((short) 0x0800);
        int ipAt = p.position();
        p.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 20 + len)).putShort((short) ipId++).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(src.getAddress().getAddress())
                .put(dst.getAddress().getAddress());
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += p.getShort(ipAt + i) & 0xFFFF;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        p.putShort(ipAt + 10, (short) ~sum);
        long seq = fromClient ? clientSeq : serverSeq;
        long ack = (flags & ACK) != 0 ? (fromClient ? serverSeq : clientSeq) : 0;
        p.putShort((short) src.getPort()).putShort((short) dst.getPort()).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        p.put(payload, off, len);
        out.write(p.array());
    }
}
