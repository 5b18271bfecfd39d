package io.ferry.pldm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.mctp.MctpDemuxClient;
import io.ferry.pldm.mctp.MctpDemuxServer;
import io.ferry.pldm.mctp.MctpFaultListener;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MctpEndpointComponentTest {
    @Test
    void defaultsServeTheStandardDemuxSocketAsEid8() throws Exception {
        FakeBundleContext fw = new FakeBundleContext(null);
        MctpEndpointComponent c = new MctpEndpointComponent();
        c.activate(fw.context(), Map.of());
        List<FakeBundleContext.Registered> live = fw.live(MctpEndpoint.class);
        assertEquals(1, live.size());
        assertEquals("server", live.get(0).property(MctpEndpointComponent.ROLE_PROPERTY));
        assertEquals("mctp-mux", live.get(0).property(MctpEndpointComponent.SOCKET_PROPERTY));
        assertEquals(8, live.get(0).property(MctpEndpointComponent.EID_PROPERTY));
        c.deactivate();
        assertTrue(fw.live(MctpEndpoint.class).isEmpty());
    }

    @Test
    void eachRoleMakesItsTransport() throws Exception {
        assertTrue(MctpEndpointComponent.parse(Map.of("role", "server", "socketName", "t1")).newTransport((l, e, m) -> { },
                MctpFaultListener.NONE) instanceof MctpDemuxServer);
        assertTrue(MctpEndpointComponent.parse(Map.of("role", "client", "socketName", "t1")).newTransport((l, e, m) -> { },
                MctpFaultListener.NONE) instanceof MctpDemuxClient);
        MctpEndpoint off = MctpEndpointComponent.parse(Map.of("role", "OFF"));
        assertTrue(off.isOff());
        assertNull(off.newTransport((l, e, m) -> { }, MctpFaultListener.NONE));
    }

    @Test
    void badValuesAreRefusedNamingThem() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("role", "proxy"), Map.of("localEid", 0),
                Map.of("localEid", 255), Map.of("localEid", "eight"), Map.of("socketName", "two words"),
                Map.of("socketName", "x".repeat(101)), Map.of("maxClients", 0))) {
            ConfigValues.BadValue e = assertThrows(ConfigValues.BadValue.class, () -> MctpEndpointComponent.parse(bad));
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(key), e.getMessage());
        }
    }

    @Test
    void aBadChangeKeepsTheEndpointAndAGoodOneReplacesIt() {
        FakeBundleContext fw = new FakeBundleContext(null);
        MctpEndpointComponent c = new MctpEndpointComponent();
        c.activate(fw.context(), Map.of("role", "nonsense"));
        MctpEndpoint first = (MctpEndpoint) fw.live(MctpEndpoint.class).get(0).service;
        assertEquals(MctpEndpointComponent.defaults(), first, "a bad value at activation starts on the defaults");

        c.modified(Map.of("localEid", 300));
        assertSame(first, fw.live(MctpEndpoint.class).get(0).service);
        c.modified(Map.of("role", "client", "socketName", "other-mux", "localEid", 9));
        List<FakeBundleContext.Registered> live = fw.live(MctpEndpoint.class);
        assertEquals(1, live.size());
        assertEquals("client", live.get(0).property(MctpEndpointComponent.ROLE_PROPERTY));
        assertEquals(9, ((MctpEndpoint) live.get(0).service).config().localEid());
        c.deactivate();
    }
}
