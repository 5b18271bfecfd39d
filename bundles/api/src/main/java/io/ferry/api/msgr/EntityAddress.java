package io.ferry.api.msgr;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a messenger is (Ceph's legacy {@code entity_addr_t}): a socket address plus a nonce that
 * tells apart two instances bound to the same address one after the other. Immutable; any thread.
 *
 * <p>On the msgr v1 wire: le32 0, le32 nonce, then a 128-byte {@code sockaddr_storage} whose family
 * and port are big-endian (network order).
 *
 * @param nonce distinguishes incarnations (Ceph uses a random number or the pid)
 * @param address IPv4 or IPv6 address and port; the wildcard address means "blank" (not known yet)
 */
public record EntityAddress(int nonce, InetSocketAddress address) {

    public EntityAddress {
        Objects.requireNonNull(address, "address");
    }

    /** @return the address a messenger advertises before it knows its own ({@code 0.0.0.0:0}). */
    public static EntityAddress blank(int nonce) {
        return new EntityAddress(nonce, new InetSocketAddress(0));
    }

    /** @return true if the IP is the wildcard (the peer must fill it in). */
    public boolean isBlankIp() {
        return address.getAddress() == null || address.getAddress().isAnyLocalAddress();
    }

    /** @return {@code v1:127.0.0.1:6789/1234}, as Ceph prints it. */
    @Override
    public String toString() {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return "v1:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort() + "/"
                + Integer.toUnsignedString(nonce);
    }
}
