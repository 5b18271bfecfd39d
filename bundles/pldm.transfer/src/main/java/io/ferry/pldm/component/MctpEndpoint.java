package io.ferry.pldm.component;

import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.mctp.MctpDemuxClient;
import io.ferry.pldm.mctp.MctpDemuxServer;
import io.ferry.pldm.mctp.MctpFaultListener;
import io.ferry.pldm.mctp.MctpReceiver;
import io.ferry.pldm.mctp.MctpTransport;
import java.util.Objects;

/**
 * The node's MCTP endpoint as configured: which role, on which socket, as which endpoint id. A
 * service of this bundle (registered by {@link MctpEndpointComponent}); the transfer service makes
 * its transport from it, because a transport needs the receiver and the event loop that only the
 * transfer service has. Immutable; any thread.
 *
 * @param role {@code server}, {@code client} or {@code off}
 * @param config the socket settings (meaningless for {@code off})
 */
public record MctpEndpoint(String role, MctpConfig config) {
    public MctpEndpoint {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(config, "config");
    }

    /** @return true when the role opens no socket. */
    public boolean isOff() {
        return role.equals(MctpEndpointConfig.ROLE_OFF);
    }

    /**
     * Makes the socket transport of this role, not yet started; null for {@code off}.
     *
     * @param receiver gets every request
     * @param faults told when a demux client loses its daemon
     */
    public MctpTransport newTransport(MctpReceiver receiver, MctpFaultListener faults) {
        return switch (role) {
            case MctpEndpointConfig.ROLE_SERVER -> new MctpDemuxServer(config, receiver);
            case MctpEndpointConfig.ROLE_CLIENT -> new MctpDemuxClient(config, receiver, faults);
            default -> null;
        };
    }

    @Override
    public String toString() {
        return isOff() ? "mctp off" : "mctp demux " + role + " on \\0" + config.socketName() + ", eid " + config.localEid();
    }
}
