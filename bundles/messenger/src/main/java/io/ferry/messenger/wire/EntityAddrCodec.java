package io.ferry.messenger.wire;

import io.ferry.api.msgr.EntityAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The legacy {@code entity_addr_t} of msgr v1 (136 bytes): le32 0 (type marker), le32 nonce,
 * and a 128-byte {@code ceph_sockaddr_storage} whose family and port are big-endian. Family 2
 * (AF_INET): port, 4 address bytes; family 10 (AF_INET6): port, le32 flow info, 16 address bytes,
 * scope id; family 0 (AF_UNSPEC): a blank address. Stateless; any thread.
 */
public final class EntityAddrCodec {
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    private EntityAddrCodec() {
    }

    /** Writes {@code address} at {@code index} of {@code buf} (absolute; buffer position unchanged). */
    public static void encode(EntityAddress address, ByteBuffer buf, int index) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < Msgr.ENTITY_ADDR_SIZE; i++) {
            b.put(index + i, (byte) 0);
        }
        b.putInt(index, 0);
        b.putInt(index + 4, address.nonce());
        int ss = index + 8;
        InetAddress ip = address.address().getAddress();
        int port = address.address().getPort();
        b.order(ByteOrder.BIG_ENDIAN);
        if (ip instanceof Inet6Address) {
            b.putShort(ss, (short) AF_INET6);
            b.putShort(ss + 2, (short) port);
            byte[] raw = ip.getAddress();
            b.put(ss + 8, raw);
            b.order(ByteOrder.LITTLE_ENDIAN).putInt(ss + 24, ((Inet6Address) ip).getScopeId());
        } else {
            b.putShort(ss, (short) AF_INET);
            b.putShort(ss + 2, (short) port);
            if (ip != null) {
                b.put(ss + 4, ip.getAddress());
            }
        }
    }

    /** @return the 136 encoded bytes. */
    public static byte[] encode(EntityAddress address) {
        byte[] out = new byte[Msgr.ENTITY_ADDR_SIZE];
        encode(address, ByteBuffer.wrap(out), 0);
        return out;
    }

    /**
     * Reads an address at {@code index}; needs {@value Msgr#ENTITY_ADDR_SIZE} bytes there.
     *
     * @return the address, or null if it is not one msgr v1 can carry (see {@link #check})
     */
    public static EntityAddress decode(ByteBuffer buf, int index) {
        if (check(buf, index) != null) {
            return null;
        }
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int nonce = b.getInt(index + 4);
        int ss = index + 8;
        b.order(ByteOrder.BIG_ENDIAN);
        int family = b.getShort(ss) & 0xFFFF;
        int port = b.getShort(ss + 2) & 0xFFFF;
        try {
            if (family == AF_INET6) {
                byte[] raw = new byte[16];
                b.get(ss + 8, raw);
                int scope = b.order(ByteOrder.LITTLE_ENDIAN).getInt(ss + 24);
                InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
                return new EntityAddress(nonce, new InetSocketAddress(ip, port));
            }
            if (family == AF_INET) {
                byte[] raw = new byte[4];
                b.get(ss + 4, raw);
                return new EntityAddress(nonce, new InetSocketAddress(Inet4Address.getByAddress(raw), port));
            }
            return new EntityAddress(nonce, new InetSocketAddress(port));
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 raw bytes
        }
    }

    /** @return null if the address at {@code index} is acceptable, else the reason it is not. */
    public static String check(ByteBuffer buf, int index) {
        if (index < 0 || buf.limit() - index < Msgr.ENTITY_ADDR_SIZE) {
            return "entity address truncated";
        }
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int marker = b.getInt(index);
        if (marker != 0) {
            return "entity address type marker " + Integer.toUnsignedString(marker) + " is not the legacy 0";
        }
        int family = b.order(ByteOrder.BIG_ENDIAN).getShort(index + 8) & 0xFFFF;
        if (family != AF_INET && family != AF_INET6 && family != AF_UNSPEC) {
            return "entity address family " + family + " is neither AF_INET nor AF_INET6";
        }
        return null;
    }
}
