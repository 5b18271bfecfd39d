package io.ferry.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SocketAddresses}: numeric parsing only (never DNS), clear refusals, and formatting that parses back. */
class SocketAddressesTest {

    @Test
    void parsesIpv4HostAndPort() throws Exception {
        InetSocketAddress a = SocketAddresses.parseInet("127.0.0.1:6789");
        assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), a.getAddress());
        assertEquals(6789, a.getPort());
        assertFalse(a.isUnresolved());
        assertEquals(a, SocketAddresses.parseInet("  127.0.0.1:6789 "), "surrounding blanks are ignored");
    }

    @Test
    void parsesBracketedIpv6() throws Exception {
        InetSocketAddress a = SocketAddresses.parseInet("[::1]:6789");
        assertEquals(InetAddress.getByName("::1"), a.getAddress());
        assertEquals(6789, a.getPort());
        InetSocketAddress b = SocketAddresses.parseInet("[fe80::1:2]:80");
        assertEquals(InetAddress.getByName("fe80::1:2"), b.getAddress());
    }

    @Test
    void anEmptyOrStarHostMeansAnyAddress() {
        for (String text : new String[] {":6789", "*:6789", "[]:6789", " :6789 "}) {
            InetSocketAddress a = SocketAddresses.parseInet(text);
            assertTrue(a.getAddress().isAnyLocalAddress(), text);
            assertEquals(6789, a.getPort(), text);
        }
    }

    @Test
    void acceptsThePortRangeEnds() {
        assertEquals(0, SocketAddresses.parseInet("127.0.0.1:0").getPort());
        assertEquals(65535, SocketAddresses.parseInet("127.0.0.1:65535").getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http",
            "127.0.0.1:80x", "1.2.3:80", "1.2.3.256:80", "1.2.3.4.5:80", "1..3.4:80", "[::1:80", "::1]:80",
            "[::g]:80", "", " "})
    void refusesMalformedAddressesWithIllegalArgument(String text) {
        assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parseInet(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:80", "example.com:80", "a.b.c.d:80"})
    void refusesHostNamesWithoutLookingThemUp(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parseInet(text));
        assertTrue(e.getMessage().contains("numeric"), e.getMessage());
    }

    /**
     * Regression: digits of other scripts passed the numeric check ({@code Character.isDigit}),
     * and the JDK then treated the host as a name and asked DNS, which parsing promises never to do.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\u0661\u0662\u0667.0.0.1:80", "1\uff12\uff17.0.0.1:80", "[\uff11::1]:80"})
    void refusesNonAsciiDigitsAsNotNumericInsteadOfAskingDns(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parseInet(text));
        assertTrue(e.getMessage().contains("numeric"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:+80", "127.0.0.1:\u0668\u0660"})
    void refusesPortsThatAreNotPlainAsciiDigits(String text) {
        assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parseInet(text));
    }

    @Test
    void formatsHostAndPortAndBracketsIpv6() throws Exception {
        assertEquals("127.0.0.1:80", SocketAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80)));
        String v6 = SocketAddresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 80));
        assertTrue(v6.startsWith("[") && v6.endsWith("]:80"), v6);
        assertEquals("example.invalid:9", SocketAddresses.format(InetSocketAddress.createUnresolved("example.invalid", 9)));
        SocketAddress other = new SocketAddress() {
            private static final long serialVersionUID = 1L;

            @Override
            public String toString() {
                return "shm:ring-3";
            }
        };
        assertEquals("shm:ring-3", SocketAddresses.format(other));
        assertEquals("null", SocketAddresses.format(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:6789", "[::1]:1", "[fe80::1%1]:443", ":0", "192.168.255.254:65535"})
    void formattedAddressesParseBackToTheSameAddress(String text) {
        InetSocketAddress a = SocketAddresses.parseInet(text);
        assertEquals(a, SocketAddresses.parseInet(SocketAddresses.format(a)));
    }
}
