package io.ferry.pldm.component;

import io.ferry.pldm.dma.DmaEngine;
import io.ferry.pldm.dma.XdmaDmaEngine;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Supplier;
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
 * Registers the {@code xdma} {@link DmaEngine} service ({@value DmaEngineProperties#NAME}{@code =xdma})
 * where it can work: on a machine with {@code /dev/aspeed-xdma} and JNA. Elsewhere it logs once, at
 * INFO, why the engine is unavailable, and registers nothing. Configuration PID
 * {@value XdmaDmaEngineConfig#PID} ({@code enabled}); a bad value is refused with a log line and
 * the current state kept.
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time (they are synchronized too).
 */
@Component(service = {}, immediate = true, configurationPid = XdmaDmaEngineConfig.PID)
@Designate(ocd = XdmaDmaEngineConfig.class)
public final class XdmaDmaEngineComponent {
    private static final Logger LOG = LoggerFactory.getLogger(XdmaDmaEngineComponent.class);
    private static final String LABEL = "xdma DMA engine";

    private final Supplier<DmaEngine> engines;
    private BundleContext context;
    private Boolean enabled;
    private DmaEngine engine;
    private ServiceRegistration<DmaEngine> registration;
    private String unavailableReason;

    public XdmaDmaEngineComponent() {
        this(XdmaDmaEngine::new);
    }

    /** For tests: engines from {@code engines} (a fake device behind). */
    XdmaDmaEngineComponent(Supplier<DmaEngine> engines) {
        this.engines = engines;
    }

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> properties) {
        context = bundleContext;
        boolean wanted;
        try {
            wanted = ConfigValues.bool(properties, "enabled", true);
        } catch (ConfigValues.BadValue e) {
            wanted = true;
            LOG.error("{}: refused configuration: {}; starting on the defaults", LABEL, e.getMessage());
        }
        apply(wanted);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        boolean wanted;
        try {
            wanted = ConfigValues.bool(properties, "enabled", true);
        } catch (ConfigValues.BadValue e) {
            LOG.error("{}: refused configuration: {}; keeping enabled={}", LABEL, e.getMessage(), enabled);
            return;
        }
        if (enabled == null || wanted != enabled) {
            apply(wanted);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        context = null;
    }

    /** @return the engine registered now, or null. */
    synchronized DmaEngine engine() {
        return registration == null ? null : engine;
    }

    /** @return why no engine is registered while enabled (null when one is, or when disabled). */
    synchronized String unavailableReason() {
        return unavailableReason;
    }

    private void apply(boolean wanted) {
        stop();
        enabled = wanted;
        unavailableReason = null;
        if (!wanted) {
            LOG.info("{}: disabled by configuration; not registered", LABEL);
            return;
        }
        DmaEngine e = engines.get();
        if (!e.isAvailable()) {
            unavailableReason = e.unavailableReason();
            LOG.info("{}: unavailable here ({}); not registered", LABEL, unavailableReason);
            e.close();
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(DmaEngineProperties.NAME, e.name());
        props.put("service.description", "Ferry PLDM xdma DMA engine (/dev/aspeed-xdma)");
        engine = e;
        registration = context.registerService(DmaEngine.class, e, props);
    }

    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
            registration = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
