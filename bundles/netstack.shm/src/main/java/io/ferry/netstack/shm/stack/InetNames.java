package io.ferry.netstack.shm.stack;

import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.server.ShmControlServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The mapping between {@link InetSocketAddress}es and node listener names, for services that
 * speak IP:port (msgr v1's entity addresses, for one) and run over the {@code shm} stack by
 * configuration. {@code ip:port} is the node listener name {@code node/inet/<ip>:<port>}, the IP
 * in its literal form ({@code node/inet/127.0.0.1:6800}, {@code node/inet/[::1]:6800}). No IP
 * traffic is involved: the address is only a name, unique within one stack.
 *
 * <p><b>Threading.</b> Static and stateless: any thread.
 */
final class InetNames {
    /** The prefix of every inet listener name. */
    static final String PREFIX = ShmControlServer.NODE_PREFIX + "inet/";

    private InetNames() {
    }

    /** @return {@code node/inet/<ip>:<port>} */
    static String listenerName(InetAddress ip, int port) {
        String host = ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int scope = host.indexOf('%');
            host = "[" + (scope >= 0 ? host.substring(0, scope) : host) + "]";
        }
        return PREFIX + host + ":" + port;
    }

    /** @return the resolved IP of {@code address} */
    static InetAddress ip(InetSocketAddress address) throws IOException {
        if (address.isUnresolved() || address.getAddress() == null) {
            throw new IOException("the shm stack needs a literal IP, not the unresolved " + address);
        }
        return address.getAddress();
    }

    /**
     * The address a listener reports for a connecting peer: the {@link InetSocketAddress} of a
     * node socket that connected by IP ({@code node/inet/...}), else the {@link ShmAddress} name
     * the server gave it ({@code pid:<pid>/<n>}, {@code node:<n>}).
     */
    static SocketAddress peerAddress(String peer) {
        if (peer.startsWith(PREFIX)) {
            String hostPort = peer.substring(PREFIX.length());
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                String host = hostPort.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    int port = Integer.parseInt(hostPort.substring(colon + 1));
                    // a literal: no name lookup happens
                    return new InetSocketAddress(InetAddress.getByName(host), port);
                } catch (IOException | IllegalArgumentException e) {
                    // not one of ours: fall through to the plain name
                }
            }
        }
        return ShmAddress.of(peer);
    }
}
