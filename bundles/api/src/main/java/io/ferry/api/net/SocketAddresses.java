package io.ferry.api.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Text forms of stack addresses, for configuration and the console. Stacks take
 * {@link SocketAddress}: {@code posix} an {@link InetSocketAddress}; other stacks document theirs.
 * Only numeric hosts are parsed, so parsing never blocks on DNS. Any thread.
 */
public final class SocketAddresses {
    private SocketAddresses() {
    }

    /**
     * Parses {@code "127.0.0.1:6789"}, {@code "[::1]:6789"} or {@code ":6789"} (any address).
     *
     * @throws IllegalArgumentException with the reason, for anything else
     */
    public static InetSocketAddress parseInet(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no port in address '" + text + "' (expected host:port)");
        }
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        int port;
        try {
            if (portText.isEmpty() || !isAsciiDigits(portText)) {
                throw new NumberFormatException(portText);
            }
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in address '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in address '" + text + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("*")) {
            return new InetSocketAddress(port);
        }
        if (!isNumeric(host)) {
            throw new IllegalArgumentException("host in '" + text + "' must be a numeric IPv4 or IPv6 address");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad host in address '" + text + "'", e);
        }
    }

    /** @return {@code host:port} for inet addresses, {@code toString()} for others. */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /**
     * ASCII only: {@code Character.isDigit} and {@code Character.digit} also take the digits of
     * other scripts, which {@link InetAddress#getByName} does not read as a literal and would look
     * up in DNS.
     */
    private static boolean isNumeric(String host) {
        if (host.indexOf(':') >= 0) {
            return host.chars().allMatch(c -> isAsciiHexDigit(c) || c == ':' || c == '.' || c == '%');
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !isAsciiDigits(p) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isAsciiHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
