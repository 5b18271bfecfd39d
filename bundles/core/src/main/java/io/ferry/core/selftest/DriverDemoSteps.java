package io.ferry.core.selftest;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.event.EventDriverFactory;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one {@link DriverDemoStep} service for every available {@link EventDriverFactory}
 * service, as factories come and go: a factory that appears gets its step, one that leaves takes
 * its step away. Unavailable factories (epoll off Linux) get no step; they are logged once.
 *
 * <p><b>Threading:</b> DS may call the bind, unbind, activate and deactivate methods on any
 * thread; they are serialized on this component. Registration happens under that lock, which no
 * other code takes.
 */
@Component(immediate = true)
public final class DriverDemoSteps {
    private static final Logger LOG = LoggerFactory.getLogger(DriverDemoSteps.class);

    private final Map<EventDriverFactory, ServiceRegistration<DemoStep>> steps = new LinkedHashMap<>();
    private BundleContext context;

    @Activate
    synchronized void activate(BundleContext bundleContext) {
        context = bundleContext;
        for (EventDriverFactory factory : steps.keySet()) {
            steps.put(factory, register(factory));
        }
    }

    @Deactivate
    synchronized void deactivate() {
        for (Map.Entry<EventDriverFactory, ServiceRegistration<DemoStep>> e : steps.entrySet()) {
            unregister(e.getValue());
            e.setValue(null);
        }
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addFactory(EventDriverFactory factory) {
        steps.put(factory, context == null ? null : register(factory));
    }

    synchronized void removeFactory(EventDriverFactory factory) {
        unregister(steps.remove(factory));
    }

    /** @return the names of the steps currently registered (for status and tests). */
    synchronized List<String> registeredSteps() {
        return steps.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> "core: event driver " + e.getKey().name()).toList();
    }

    private ServiceRegistration<DemoStep> register(EventDriverFactory factory) {
        if (!factory.isAvailable()) {
            LOG.info("event driver {} is not available here; no demo step for it", factory.name());
            return null;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DemoStep.ORDER_PROPERTY, DriverDemoStep.ORDER);
        props.put(EventDriverFactory.DRIVER_PROPERTY, factory.name());
        return context.registerService(DemoStep.class, new DriverDemoStep(factory), props);
    }

    private static void unregister(ServiceRegistration<DemoStep> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // Already gone with the bundle.
        }
    }
}
