package io.ferry.pldm.component;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Just enough of a {@link BundleContext} for the components' unit tests: framework properties, a
 * data area, and a service registry that records what is registered and unregistered. Not
 * thread-safe; one test thread.
 */
final class FakeBundleContext {
    /** One registration as the fake saw it. */
    static final class Registered {
        final String clazz;
        final Object service;
        final Map<String, Object> properties;
        boolean unregistered;

        Registered(String clazz, Object service, Map<String, Object> properties) {
            this.clazz = clazz;
            this.service = service;
            this.properties = properties;
        }

        Object property(String key) {
            return properties.get(key);
        }
    }

    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final Path dataArea;
    private final List<Registered> registrations = new ArrayList<>();
    private final BundleContext context;

    FakeBundleContext(Path dataArea) {
        this.dataArea = dataArea;
        this.context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> frameworkProperties.get((String) args[0]);
                    case "getDataFile" -> dataArea == null ? null : new File(dataArea.toFile(), (String) args[0]);
                    case "registerService" -> register(args);
                    case "toString" -> "FakeBundleContext";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    BundleContext context() {
        return context;
    }

    FakeBundleContext property(String key, String value) {
        frameworkProperties.put(key, value);
        return this;
    }

    /** @return the services registered and not unregistered, of {@code type}. */
    List<Registered> live(Class<?> type) {
        return registrations.stream().filter(r -> !r.unregistered && r.clazz.equals(type.getName()))
                .collect(Collectors.toList());
    }

    /** @return every registration ever made, in order. */
    List<Registered> all() {
        return Collections.unmodifiableList(registrations);
    }

    private Object register(Object[] args) {
        String clazz = args[0] instanceof Class<?> c ? c.getName() : (String) args[0];
        Map<String, Object> props = new HashMap<>();
        @SuppressWarnings("unchecked")
        Dictionary<String, Object> d = (Dictionary<String, Object>) args[2];
        if (d != null) {
            for (String k : Collections.list(d.keys())) {
                props.put(k, d.get(k));
            }
        }
        Registered r = new Registered(clazz, args[1], props);
        registrations.add(r);
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (proxy, method, a) -> switch (method.getName()) {
                    case "unregister" -> {
                        if (r.unregistered) {
                            throw new IllegalStateException("already unregistered");
                        }
                        r.unregistered = true;
                        yield null;
                    }
                    case "toString" -> "registration of " + clazz;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
