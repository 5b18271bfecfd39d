package io.ferry.pldm.component;

import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.dma.DmaEngine;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.dma.ShmWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Registers the {@code shm} {@link DmaEngine} service: a {@link ShmWindow} (the emulated host
 * memory) and a {@link ShmDmaEngine} over it, with the service properties
 * {@value DmaEngineProperties#NAME}{@code =shm}, {@value DmaEngineProperties#WINDOW} (the window
 * file the simulator attaches to) and {@value DmaEngineProperties#WINDOW_SIZE}. Configuration
 * (PID {@value ShmDmaEngineConfig#PID}) is checked: a bad value is refused with a log line naming
 * it; at activation the engine then starts on the defaults, later the running one stays. A valid
 * change starts a new engine (new window) first, registers it, then unregisters and closes the old
 * one — its operations still in flight fail with {@code -ESHUTDOWN}.
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time (they are synchronized too).
 */
// The service is registered through the BundleContext (so that a bad change can keep the old one),
// not declared by DS: say so to resolvers, which check the transfer service's mandatory reference.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.ferry.pldm.dma.DmaEngine")
@Component(service = {}, immediate = true, configurationPid = ShmDmaEngineConfig.PID)
@Designate(ocd = ShmDmaEngineConfig.class)
public final class ShmDmaEngineComponent {
    private static final Logger LOG = LoggerFactory.getLogger(ShmDmaEngineComponent.class);
    private static final String LABEL = "shm DMA engine";

    /** Valid settings; {@code windowDirectory} null means the default. */
    record Settings(boolean enabled, Path windowDirectory, long windowSize, int sliceSize) {
    }

    private BundleContext context;
    private Settings settings;
    private ShmDmaEngine engine;
    private ServiceRegistration<DmaEngine> registration;

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> properties) {
        context = bundleContext;
        Settings wanted;
        try {
            wanted = parse(properties);
        } catch (ConfigValues.BadValue e) {
            wanted = new Settings(true, null, ShmDmaEngineConfig.WINDOW_SIZE_DEFAULT, ShmDmaEngineConfig.SLICE_SIZE_DEFAULT);
            LOG.error("{}: refused configuration: {}; starting on the defaults", LABEL, e.getMessage());
        }
        settings = wanted;
        if (!wanted.enabled()) {
            LOG.info("{}: disabled by configuration; not registered", LABEL);
            return;
        }
        try {
            engine = start(wanted);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot create the window in {}: {}; not registered", LABEL, directory(wanted), e.toString());
            return;
        }
        registration = register(engine);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        Settings wanted;
        try {
            wanted = parse(properties);
        } catch (ConfigValues.BadValue e) {
            LOG.error("{}: refused configuration: {}; keeping {}", LABEL, e.getMessage(), describe());
            return;
        }
        if (wanted.equals(settings)) {
            return;
        }
        ShmDmaEngine next = null;
        if (wanted.enabled()) {
            try {
                next = start(wanted);
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: refused configuration: cannot create the window in {}: {}; keeping {}", LABEL,
                        directory(wanted), e.toString(), describe());
                return;
            }
        }
        ServiceRegistration<DmaEngine> nextRegistration = next == null ? null : register(next);
        stop();
        engine = next;
        registration = nextRegistration;
        settings = wanted;
        LOG.info("{}: reconfigured to {}", LABEL, describe());
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        context = null;
    }

    /** @return the engine registered now, or null. */
    synchronized ShmDmaEngine engine() {
        return registration == null ? null : engine;
    }

    /** @return the settings in use (null before activation). */
    synchronized Settings settings() {
        return settings;
    }

    /** Checks the configuration. @throws ConfigValues.BadValue naming the first bad value */
    static Settings parse(Map<String, ?> properties) throws ConfigValues.BadValue {
        boolean enabled = ConfigValues.bool(properties, "enabled", true);
        Path dir = ConfigValues.optionalDirectory(properties, "windowDirectory");
        long size = ConfigValues.wholeNumber(properties, "windowSize", ShmDmaEngineConfig.WINDOW_SIZE_DEFAULT,
                ShmDmaEngineConfig.WINDOW_SIZE_MIN, ShmWindow.MAX_SIZE);
        long slice = ConfigValues.wholeNumber(properties, "sliceSize", ShmDmaEngineConfig.SLICE_SIZE_DEFAULT,
                ShmDmaEngineConfig.SLICE_SIZE_MIN, ShmDmaEngineConfig.SLICE_SIZE_MAX);
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ConfigValues.BadValue("windowDirectory=" + dir + " is not a directory");
        }
        return new Settings(enabled, dir, size, (int) slice);
    }

    /** The default window directory: /dev/shm where it is a writable directory, else java.io.tmpdir. */
    static Path defaultWindowDirectory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Path directory(Settings s) {
        return s.windowDirectory() != null ? s.windowDirectory() : defaultWindowDirectory();
    }

    private static ShmDmaEngine start(Settings s) throws IOException {
        ShmWindow window = ShmWindow.create(directory(s), s.windowSize());
        return new ShmDmaEngine(window, true, FileIoChecks.DMA_MAX_SIZE, s.sliceSize());
    }

    private ServiceRegistration<DmaEngine> register(ShmDmaEngine e) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(DmaEngineProperties.NAME, e.name());
        props.put(DmaEngineProperties.WINDOW, e.window().path().toString());
        props.put(DmaEngineProperties.WINDOW_SIZE, e.window().size());
        props.put("service.description", "Ferry PLDM shm DMA engine, " + e.window());
        return context.registerService(DmaEngine.class, e, props);
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

    private String describe() {
        if (settings == null) {
            return "the defaults";
        }
        if (!settings.enabled()) {
            return "disabled";
        }
        return engine == null ? "no engine (" + settings + ")" : engine.window() + ", slice " + settings.sliceSize();
    }
}
