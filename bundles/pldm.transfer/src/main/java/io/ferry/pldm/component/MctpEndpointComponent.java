package io.ferry.pldm.component;

import io.ferry.pldm.mctp.MctpConfig;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the MCTP endpoint configuration (PID {@value MctpEndpointConfig#PID}) and registers it as
 * an {@link MctpEndpoint} service with the properties {@value #ROLE_PROPERTY},
 * {@value #SOCKET_PROPERTY} and {@value #EID_PROPERTY}. A bad value is refused with a log line
 * naming it: at activation the defaults are registered, later the registered endpoint stays. A
 * valid change replaces the service, so the transfer service restarts on the new socket (its
 * transfers in flight are abandoned and their handlers told).
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time (they are synchronized too).
 */
// The service is registered through the BundleContext (so that a bad change can keep the old one),
// not declared by DS: say so to resolvers, which check the transfer service's mandatory reference.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.ferry.pldm.component.MctpEndpoint")
@Component(service = {}, immediate = true, configurationPid = MctpEndpointConfig.PID)
@Designate(ocd = MctpEndpointConfig.class)
public final class MctpEndpointComponent {
    static final String ROLE_PROPERTY = "ferry.pldm.mctp.role";
    static final String SOCKET_PROPERTY = "ferry.pldm.mctp.socket";
    static final String EID_PROPERTY = "ferry.pldm.mctp.eid";

    private static final Logger LOG = LoggerFactory.getLogger(MctpEndpointComponent.class);
    private static final String LABEL = "MCTP endpoint";

    private BundleContext context;
    private MctpEndpoint endpoint;
    private ServiceRegistration<MctpEndpoint> registration;

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> properties) {
        context = bundleContext;
        MctpEndpoint wanted;
        try {
            wanted = parse(properties);
        } catch (ConfigValues.BadValue e) {
            wanted = defaults();
            LOG.error("{}: refused configuration: {}; starting on the defaults ({})", LABEL, e.getMessage(), wanted);
        }
        publish(wanted);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        MctpEndpoint wanted;
        try {
            wanted = parse(properties);
        } catch (ConfigValues.BadValue e) {
            LOG.error("{}: refused configuration: {}; keeping {}", LABEL, e.getMessage(), endpoint);
            return;
        }
        if (!wanted.equals(endpoint)) {
            publish(wanted);
            LOG.info("{}: reconfigured to {}", LABEL, wanted);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        unregister();
        context = null;
    }

    /** @return the endpoint registered now. */
    synchronized MctpEndpoint endpoint() {
        return endpoint;
    }

    static MctpEndpoint defaults() {
        return new MctpEndpoint(MctpEndpointConfig.ROLE_DEFAULT, MctpConfig.defaults()
                .withSocketName(MctpEndpointConfig.SOCKET_NAME_DEFAULT).withLocalEid(MctpEndpointConfig.LOCAL_EID_DEFAULT));
    }

    /** Checks the configuration. @throws ConfigValues.BadValue naming the first bad value */
    static MctpEndpoint parse(Map<String, ?> properties) throws ConfigValues.BadValue {
        String role = ConfigValues.choice(properties, "role", MctpEndpointConfig.ROLE_DEFAULT,
                MctpEndpointConfig.ROLE_SERVER, MctpEndpointConfig.ROLE_CLIENT, MctpEndpointConfig.ROLE_OFF);
        String socket = ConfigValues.text(properties, "socketName", MctpEndpointConfig.SOCKET_NAME_DEFAULT,
                MctpEndpointConfig.SOCKET_NAME_MAX);
        int eid = (int) ConfigValues.wholeNumber(properties, "localEid", MctpEndpointConfig.LOCAL_EID_DEFAULT, 1, 254);
        int clients = (int) ConfigValues.wholeNumber(properties, "maxClients", MctpEndpointConfig.MAX_CLIENTS_DEFAULT, 1,
                MctpEndpointConfig.MAX_CLIENTS_MAX);
        MctpConfig base = MctpConfig.defaults();
        MctpConfig config = base.withSocketName(socket).withLocalEid(eid)
                .withLimits(base.queueCapacity(), base.malformedLimit(), clients, base.registrationTimeoutMillis());
        return new MctpEndpoint(role, config);
    }

    private void publish(MctpEndpoint wanted) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ROLE_PROPERTY, wanted.role());
        props.put(SOCKET_PROPERTY, wanted.config().socketName());
        props.put(EID_PROPERTY, wanted.config().localEid());
        ServiceRegistration<MctpEndpoint> next = context.registerService(MctpEndpoint.class, wanted, props);
        unregister();
        registration = next;
        endpoint = wanted;
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
            registration = null;
        }
    }
}
