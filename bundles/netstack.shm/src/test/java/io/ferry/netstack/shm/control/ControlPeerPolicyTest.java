package io.ferry.netstack.shm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlPeerPolicyTest {

    @Test
    void shouldAdmitSameUidWhateverItsGroup() {
        PeerPolicy.Decision d = PeerPolicy.sameUidOnly(1000).decide(1000, 4711);
        assertTrue(d.admitted());
        assertEquals("admitted: peer uid 1000 is the server's uid", d.reason());
    }

    @Test
    void shouldRefuseOtherUidWithoutConfiguredGroup() {
        PeerPolicy.Decision d = PeerPolicy.sameUidOnly(1000).decide(1001, 1000);
        assertFalse(d.admitted());
        assertEquals("refused: peer uid 1001 is not the server's uid 1000 and no group is configured", d.reason());
    }

    @Test
    void shouldAdmitOtherUidInConfiguredGroup() {
        PeerPolicy.Decision d = new PeerPolicy(1000, 2000).decide(1001, 2000);
        assertTrue(d.admitted());
        assertEquals("admitted: peer uid 1001 has gid 2000, the configured group", d.reason());
    }

    @Test
    void shouldRefuseOtherUidOutsideConfiguredGroup() {
        PeerPolicy.Decision d = new PeerPolicy(1000, 2000).decide(1001, 2001);
        assertFalse(d.admitted());
        assertEquals("refused: peer uid 1001 is not the server's uid 1000 and its gid 2001 is not the configured group 2000",
                d.reason());
    }

    @Test
    void shouldNotTreatRootAsSpecial() {
        assertFalse(PeerPolicy.sameUidOnly(1000).decide(0, 0).admitted());
        assertTrue(PeerPolicy.sameUidOnly(0).decide(0, 0).admitted());
    }

    @Test
    void shouldRefuseUnknownCredentialsAndPrintUnsignedIds() {
        assertFalse(new PeerPolicy(1000, PeerPolicy.NO_GROUP).decide(-1, -1).admitted());
        // (gid_t)-1 from a peer never matches "no group configured"
        assertFalse(new PeerPolicy(1000, PeerPolicy.NO_GROUP).decide(1001, -1).admitted());
        PeerPolicy.Decision d = PeerPolicy.sameUidOnly(1000).decide(0x8000_0000, 5);
        assertEquals("refused: peer uid 2147483648 is not the server's uid 1000 and no group is configured", d.reason());
        assertThrows(IllegalArgumentException.class, () -> PeerPolicy.sameUidOnly(-1));
    }
}
