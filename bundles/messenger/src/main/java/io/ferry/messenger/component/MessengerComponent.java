package io.ferry.messenger.component;

import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.internal.AsyncMessenger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link AsyncMessenger} per configuration (PID {@value MessengerConfig#PID}, singleton or
 * factory) on the {@link NetworkStack} that {@code stack.target} selects, and registers it as a
 * {@link Messenger} service with {@value Messenger#NAME_PROPERTY}, {@value #ADDRESS_PROPERTY},
 * {@value #ENTITY_PROPERTY} and {@code ferry.stack}, and its counters over JMX
 * ({@code io.ferry:type=Messenger,name="<name>"}, {@link MessengerMXBean}).
 *
 * <p>Configuration is checked first: a bad value is refused with a log line naming it, and the
 * messenger keeps running as it was (on the defaults, at activation); the service then carries
 * {@value #REFUSED_PROPERTY} with the reason until a good configuration arrives. A valid change restarts the
 * messenger: its connections are shut down (lossless peers reconnect to the new one). When the stack
 * goes away, DS deactivates this component: the messenger shuts down, its connections fail, and a
 * stack that comes back brings a new messenger.
 *
 * <p>Whiteboard: every {@link Dispatcher} service is offered the message types its
 * {@value Dispatcher#TYPES_PROPERTY} property lists; a dispatcher with a {@value Messenger#NAME_PROPERTY}
 * property serves only the messenger of that name. A property that does not parse is logged and the
 * dispatcher is left out.
 *
 * <p><b>Threading:</b> DS calls every method here; they are serialized on this object's monitor.
 * Dispatchers run on connection threads.
 */
@Component(service = {}, immediate = true, configurationPid = MessengerConfig.PID)
@Designate(ocd = MessengerConfig.class)
public final class MessengerComponent {
    /** Service property: the bound address ({@code v1:127.0.0.1:6800/1234}), or empty when not bound. */
    public static final String ADDRESS_PROPERTY = "ferry.messenger.address";
    /** Service property: who the messenger is ({@code osd.0}). */
    public static final String ENTITY_PROPERTY = "ferry.messenger.entity";
    /** Service property: why the last configuration was refused (absent when none was). */
    public static final String REFUSED_PROPERTY = "ferry.messenger.config.refused";

    private static final Logger LOG = LoggerFactory.getLogger(MessengerComponent.class);
    private static final long SHUTDOWN_WAIT_MILLIS = 5_000;

    @Reference(name = "stack", target = MessengerConfig.STACK_TARGET_DEFAULT)
    private NetworkStack stack;

    private final Map<Dispatcher, WhiteboardDispatcher> whiteboard = new LinkedHashMap<>();
    /** The messenger name a dispatcher service is limited to, or null for every messenger. */
    private final Map<Dispatcher, String> targets = new LinkedHashMap<>();
    private BundleContext context;
    private MessengerOptions options;
    private AsyncMessenger messenger;
    private ServiceRegistration<Messenger> registration;
    private MessengerMBeanRegistration jmx;
    private Hashtable<String, Object> serviceProperties;
    /** Why the configuration in force was not the one given, or null. */
    private String refused;

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> properties) throws IOException {
        context = bundleContext;
        MessengerOptions.Parsed parsed = MessengerOptions.parse(properties);
        MessengerOptions wanted = parsed.options();
        if (!parsed.ok()) {
            wanted = MessengerOptions.defaults();
            LOG.error("messenger: refused configuration: {}; starting on the defaults", parsed.error());
            refused = parsed.error();
        }
        start(wanted);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) throws IOException {
        MessengerOptions.Parsed parsed = MessengerOptions.parse(properties);
        if (!parsed.ok()) {
            LOG.error("messenger {}: refused configuration: {}; keeping {}", options.name(), parsed.error(), describe(options));
            refused(parsed.error());
            return;
        }
        MessengerOptions wanted = parsed.options();
        if (wanted.equals(options)) {
            refused(null);
            return;
        }
        refused = null;
        MessengerOptions previous = options;
        stop();
        try {
            start(wanted);
            LOG.info("messenger {}: reconfigured to {}", wanted.name(), describe(wanted));
        } catch (IOException | RuntimeException e) {
            LOG.error("messenger {}: refused configuration {}: {}; keeping {}", wanted.name(), describe(wanted),
                    e.getMessage(), describe(previous));
            refused = e.getMessage();
            start(previous);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addDispatcher(Dispatcher dispatcher, Map<String, Object> properties) {
        Object target = properties.get(Messenger.NAME_PROPERTY);
        String description = "dispatcher service " + properties.get(Constants.SERVICE_ID) + " (" + dispatcher + ")";
        MessageTypes types = null;
        Object typesProperty = properties.get(Dispatcher.TYPES_PROPERTY);
        if (typesProperty != null) {
            try {
                types = MessageTypes.parse(typesProperty);
            } catch (IllegalArgumentException e) {
                LOG.error("messenger: {} left out: {}={} : {}", description, Dispatcher.TYPES_PROPERTY, typesProperty,
                        e.getMessage());
                return;
            }
        }
        WhiteboardDispatcher w = new WhiteboardDispatcher(dispatcher, types,
                target == null ? description : description + " for messenger " + target);
        whiteboard.put(dispatcher, w);
        if (messenger != null && (target == null || String.valueOf(target).equals(messenger.name()))) {
            messenger.addDispatcher(w);
        }
        targets.put(dispatcher, target == null ? null : String.valueOf(target));
    }

    synchronized void removeDispatcher(Dispatcher dispatcher) {
        WhiteboardDispatcher w = whiteboard.remove(dispatcher);
        targets.remove(dispatcher);
        if (w != null && messenger != null) {
            messenger.removeDispatcher(w);
        }
    }

    /** @return the running messenger (for the console and tests), or null between configurations. */
    public synchronized AsyncMessenger messenger() {
        return messenger;
    }

    private void start(MessengerOptions o) throws IOException {
        AsyncMessenger m = new AsyncMessenger(stack, o.settings());
        m.setDefaultPolicy(o.defaultPolicy());
        for (Map.Entry<Integer, Policy> e : o.policies().entrySet()) {
            m.setPolicy(e.getKey(), e.getValue());
        }
        for (Map.Entry<Dispatcher, WhiteboardDispatcher> e : whiteboard.entrySet()) {
            String target = targets.get(e.getKey());
            if (target == null || target.equals(o.name())) {
                m.addDispatcher(e.getValue());
            }
        }
        if (o.answerPing()) {
            m.addDispatcher(new PingResponder(m));
        }
        if (o.bind() != null) {
            try {
                m.bind(o.bind());
            } catch (IOException | RuntimeException e) {
                m.shutdown();
                LOG.error("messenger {}: cannot bind {} on stack {}: {}", o.name(), o.bind(), stack.type(), e.getMessage());
                throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
            }
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Messenger.NAME_PROPERTY, o.name());
        props.put(ADDRESS_PROPERTY, o.bind() == null ? "" : m.myAddress().toString());
        props.put(ENTITY_PROPERTY, m.myName().toString());
        props.put(NetworkStack.TYPE_PROPERTY, stack.type());
        if (refused != null) {
            props.put(REFUSED_PROPERTY, refused);
        }
        serviceProperties = props;
        messenger = m;
        options = o;
        registration = context.registerService(Messenger.class, m, props);
        jmx = new MessengerMBeanRegistration(m);
        jmx.register();
        LOG.info("messenger {} ({}) on stack {}{}", o.name(), m.myName(), stack.type(),
                o.bind() == null ? ", client only" : " at " + m.myAddress());
    }

    /** Shows (or clears) the refusal on the running service, so consoles and tests can see it. */
    private void refused(String why) {
        refused = why;
        if (registration == null || serviceProperties == null) {
            return;
        }
        if (why == null ? serviceProperties.remove(REFUSED_PROPERTY) == null : why.equals(serviceProperties.put(REFUSED_PROPERTY, why))) {
            return;
        }
        try {
            registration.setProperties(serviceProperties);
        } catch (IllegalStateException alreadyGone) {
            // unregistered with the bundle
        }
    }

    private void stop() {
        if (jmx != null) {
            jmx.unregister();
            jmx = null;
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
            registration = null;
        }
        AsyncMessenger m = messenger;
        messenger = null;
        if (m != null) {
            m.shutdown();
            try {
                if (!m.awaitClosed(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    LOG.warn("messenger {}: connections still closing after {} ms: {}", m.name(), SHUTDOWN_WAIT_MILLIS,
                            m.connections());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(MessengerOptions o) {
        if (o == null) {
            return "the defaults";
        }
        List<String> parts = new ArrayList<>();
        parts.add("entity " + o.myName());
        parts.add("bind " + (o.bind() == null ? "none" : o.bind().getAddress().getHostAddress() + ":" + o.bind().getPort()));
        parts.add("stack " + o.stackTarget());
        parts.add("policy " + PolicyNames.name(o.defaultPolicy()));
        parts.add("throttle " + o.throttleMessages() + " msgs/" + o.throttleBytes() + " B");
        parts.add("keepalive " + o.keepaliveIntervalMillis() + "/" + o.keepaliveTimeoutMillis() + " ms");
        return String.join(", ", parts);
    }
}
