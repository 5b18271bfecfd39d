package io.ferry.pldm.component;

import io.ferry.api.pldm.FileTypeHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common life cycle of the file-type handler components: checks the configuration
 * ({@code enabled}, {@code baseDirectory}, {@code maxSize}), makes the handlers under the base
 * directory, and registers each as a {@link FileTypeHandler} service with the whiteboard
 * properties. A bad value is refused with one log line naming it; at activation the handlers then
 * start on the defaults, later the running ones stay. A valid change makes the new handlers first
 * (a base directory that cannot be used is refused the same way), then unregisters the old ones —
 * the transfer service fails their transfers still in flight — and registers the new ones.
 *
 * <p><b>Threading:</b> every method is synchronized; DS calls them one at a time anyway.
 */
final class HandlerServices {
    /** Service property: the directory a handler stores under (for {@code pldm:files}). */
    static final String BASE_DIRECTORY_PROPERTY = "ferry.pldm.base.directory";
    /** Service property: the handler's name, such as {@code "PEL"}. */
    static final String NAME_PROPERTY = "ferry.pldm.file.type.name";

    private static final Logger LOG = LoggerFactory.getLogger(HandlerServices.class);

    /** Valid settings of one handler component. {@code baseDirectory} null means the default. */
    record Settings(boolean enabled, Path baseDirectory, long maxSize) {
    }

    /** A handler and the directory it stores under. */
    record Made(FileTypeHandler handler, Path base) {
    }

    /** Makes the handlers of a component under {@code base}. */
    @FunctionalInterface
    interface Factory {
        List<Made> create(Path base, long maxSize) throws IOException;
    }

    private final String label;
    private final String directoryName;
    private final long maxSizeDefault;
    private final long maxSizeLimit;
    private final Factory factory;

    private BundleContext context;
    private Settings settings;
    private Path base;
    private List<Made> handlers = List.of();
    private final List<ServiceRegistration<FileTypeHandler>> registrations = new ArrayList<>();

    /**
     * @param label how logs name the component, such as {@code "PEL handler"}
     * @param directoryName the default base's last part, such as {@code "pel"}
     */
    HandlerServices(String label, String directoryName, long maxSizeDefault, long maxSizeLimit, Factory factory) {
        this.label = label;
        this.directoryName = directoryName;
        this.maxSizeDefault = maxSizeDefault;
        this.maxSizeLimit = maxSizeLimit;
        this.factory = factory;
    }

    synchronized void activate(BundleContext bundleContext, Map<String, ?> properties) {
        context = bundleContext;
        Settings wanted;
        try {
            wanted = parse(properties);
        } catch (ConfigValues.BadValue e) {
            wanted = defaults();
            LOG.error("{}: refused configuration: {}; starting on the defaults", label, e.getMessage());
        }
        settings = wanted;
        if (!wanted.enabled()) {
            LOG.info("{}: disabled by configuration; no handler registered", label);
            return;
        }
        Path where = DataDirectories.base(context, wanted.baseDirectory(), directoryName);
        try {
            handlers = factory.create(where, wanted.maxSize());
            base = where;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot use base directory {}: {}; no handler registered", label, where, e.toString());
            return;
        }
        register();
    }

    synchronized void modified(Map<String, ?> properties) {
        Settings wanted;
        try {
            wanted = parse(properties);
        } catch (ConfigValues.BadValue e) {
            LOG.error("{}: refused configuration: {}; keeping {}", label, e.getMessage(), describe());
            return;
        }
        if (wanted.equals(settings)) {
            return;
        }
        List<Made> next = List.of();
        Path where = null;
        if (wanted.enabled()) {
            where = DataDirectories.base(context, wanted.baseDirectory(), directoryName);
            try {
                next = factory.create(where, wanted.maxSize());
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: refused configuration: cannot use base directory {}: {}; keeping {}", label, where,
                        e.toString(), describe());
                return;
            }
        }
        unregister();
        settings = wanted;
        handlers = next;
        base = where;
        register();
        LOG.info("{}: reconfigured to {}", label, describe());
    }

    synchronized void deactivate() {
        unregister();
        handlers = List.of();
        context = null;
    }

    /** @return the settings in use (null before activation). */
    synchronized Settings settings() {
        return settings;
    }

    /** @return the base directory in use, or null when no handler is registered. */
    synchronized Path base() {
        return registrations.isEmpty() ? null : base;
    }

    /** @return the handlers registered now. */
    synchronized List<FileTypeHandler> registered() {
        return registrations.isEmpty() ? List.of() : handlers.stream().map(Made::handler).toList();
    }

    /** Checks the configuration. @throws ConfigValues.BadValue naming the first bad value */
    Settings parse(Map<String, ?> properties) throws ConfigValues.BadValue {
        boolean enabled = ConfigValues.bool(properties, "enabled", true);
        Path dir = ConfigValues.optionalDirectory(properties, "baseDirectory");
        long maxSize = ConfigValues.wholeNumber(properties, "maxSize", maxSizeDefault, 1, maxSizeLimit);
        return new Settings(enabled, dir, maxSize);
    }

    private Settings defaults() {
        return new Settings(true, null, maxSizeDefault);
    }

    private String describe() {
        if (settings == null) {
            return "the defaults";
        }
        return settings.enabled() ? "base " + (base != null ? base : "(default)") + ", maxSize " + settings.maxSize()
                : "disabled";
    }

    private void register() {
        for (Made m : handlers) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(FileTypeHandler.FILE_TYPE_PROPERTY, m.handler().fileType());
            props.put(NAME_PROPERTY, m.handler().name());
            props.put(BASE_DIRECTORY_PROPERTY, m.base().toString());
            props.put("service.description", "Ferry PLDM file type " + m.handler().name() + " under " + m.base());
            registrations.add(context.registerService(FileTypeHandler.class, m.handler(), props));
        }
    }

    private void unregister() {
        for (ServiceRegistration<FileTypeHandler> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
        }
        registrations.clear();
    }
}
