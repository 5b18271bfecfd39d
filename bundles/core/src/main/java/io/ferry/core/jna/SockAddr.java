package io.ferry.core.jna;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes {@code struct sockaddr_in} and {@code struct sockaddr_in6}
 * ({@code include/uapi/linux/in.h}, {@code in6.h}) in a native-order direct buffer, always at
 * absolute offset 0. The family is in native byte order, port and addresses in network byte order
 * (big-endian), the IPv6 scope id in native order:
 *
 * <pre>
 * sockaddr_in   16 B: u16 family(0) | be16 port(2) | be32 addr(4)  | zero[8](8)
 * sockaddr_in6  28 B: u16 family(0) | be16 port(2) | be32 flowinfo(4) | addr[16](8) | u32 scope_id(24)
 * </pre>
 *
 * <p>Connection set-up and diagnostics only (decoding allocates). Stateless; any thread, each
 * with its own buffer.
 */
public final class SockAddr {
    public static final int FAMILY_OFFSET = 0;
    public static final int PORT_OFFSET = 2;
    public static final int IN_ADDR_OFFSET = 4;
    public static final int IN6_FLOWINFO_OFFSET = 4;
    public static final int IN6_ADDR_OFFSET = 8;
    public static final int IN6_SCOPE_ID_OFFSET = 24;
    /** Size of {@code sockaddr_in}. */
    public static final int IN_SIZE = 16;
    /** Size of {@code sockaddr_in6}. */
    public static final int IN6_SIZE = 28;
    /** Room that fits any address family ({@code sizeof(struct sockaddr_storage)}). */
    public static final int STORAGE_SIZE = 128;

    private SockAddr() {
    }

    /** @return {@link LibC#AF_INET6} for IPv6 addresses, {@link LibC#AF_INET} otherwise. */
    public static int familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }

    /**
     * Writes {@code address} as a sockaddr of {@code family}. An IPv4 address in an
     * {@link LibC#AF_INET6} sockaddr becomes IPv4-mapped ({@code ::ffff:a.b.c.d}), and the IPv4
     * wildcard becomes {@code ::}, the dual-stack wildcard.
     *
     * @param out a native-order buffer with at least {@link #IN6_SIZE} bytes
     * @return the sockaddr length to pass to the system call
     * @throws IllegalArgumentException for an IPv6 address in an {@link LibC#AF_INET} sockaddr
     */
    public static int encode(InetSocketAddress address, int family, ByteBuffer out) {
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        for (int i = 0; i < IN6_SIZE; i++) {
            out.put(i, (byte) 0);
        }
        out.putShort(FAMILY_OFFSET, (short) family);
        out.put(PORT_OFFSET, (byte) (port >>> 8));
        out.put(PORT_OFFSET + 1, (byte) port);
        byte[] bytes = ip.getAddress();
        if (family == LibC.AF_INET) {
            if (!(ip instanceof Inet4Address)) {
                throw new IllegalArgumentException("IPv6 address " + ip + " in an IPv4 socket");
            }
            out.put(IN_ADDR_OFFSET, bytes);
            return IN_SIZE;
        }
        if (ip instanceof Inet4Address) {
            if (!ip.isAnyLocalAddress()) {
                out.put(IN6_ADDR_OFFSET + 10, (byte) 0xff);
                out.put(IN6_ADDR_OFFSET + 11, (byte) 0xff);
                out.put(IN6_ADDR_OFFSET + 12, bytes);
            }
        } else {
            out.put(IN6_ADDR_OFFSET, bytes);
            out.putInt(IN6_SCOPE_ID_OFFSET, ((Inet6Address) ip).getScopeId());
        }
        return IN6_SIZE;
    }

    /**
     * Reads the sockaddr at offset 0. IPv4-mapped IPv6 addresses come back as IPv4.
     *
     * @param length the length the kernel reported
     * @return the address, or null for a family other than IPv4 and IPv6, or a short length
     */
    public static InetSocketAddress decode(ByteBuffer in, int length) {
        if (length < 2) {
            return null;
        }
        int family = in.getShort(FAMILY_OFFSET) & 0xffff;
        int port = ((in.get(PORT_OFFSET) & 0xff) << 8) | (in.get(PORT_OFFSET + 1) & 0xff);
        try {
            if (family == LibC.AF_INET && length >= IN_SIZE) {
                byte[] bytes = new byte[4];
                in.get(IN_ADDR_OFFSET, bytes);
                return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            }
            if (family == LibC.AF_INET6 && length >= IN6_SIZE) {
                byte[] bytes = new byte[16];
                in.get(IN6_ADDR_OFFSET, bytes);
                int scope = in.getInt(IN6_SCOPE_ID_OFFSET);
                InetAddress ip = InetAddress.getByAddress(bytes);
                if (scope != 0 && ip instanceof Inet6Address) {
                    ip = Inet6Address.getByAddress(null, bytes, scope);
                }
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            // Only thrown for a wrong array length, which the fixed sizes above rule out.
            throw new IllegalStateException(e);
        }
        return null;
    }
}
