package io.ferry.core.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.nio.NioDriverFactory;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The component that registers a driver demo step per driver factory, against a recording
 * stand-in for the framework: steps follow the factories as they come and go, and vanish with
 * the component.
 */
class DriverDemoStepsTest {

    /** What the stand-in framework holds: registered step name to its properties. */
    private final Map<String, Dictionary<String, ?>> registered = new ConcurrentHashMap<>();
    private final List<String> log = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    DemoStep step = (DemoStep) args[1];
                    @SuppressWarnings("unchecked")
                    Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                    registered.put(step.name(), props);
                    log.add("+" + step.name());
                    return registration(step.name());
                });
    }

    private ServiceRegistration<?> registration(String name) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("unregister")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (registered.remove(name) == null) {
                        throw new IllegalStateException("already unregistered");
                    }
                    log.add("-" + name);
                    return null;
                });
    }

    private static EventDriverFactory named(String name, boolean available) {
        return new DriverProbeTest.WrappingFactory(new NioDriverFactory(), false) {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isAvailable() {
                return available;
            }
        };
    }

    @Test
    void shouldRegisterAStepForEachFactoryBoundBeforeActivation() {
        DriverDemoSteps component = new DriverDemoSteps();
        component.addFactory(named("epoll", true));
        component.addFactory(named("nio", true));

        component.activate(context());

        assertEquals(List.of("+core: event driver epoll", "+core: event driver nio"), log);
        assertEquals(DriverDemoStep.ORDER, registered.get("core: event driver nio").get(DemoStep.ORDER_PROPERTY));
        assertEquals("epoll", registered.get("core: event driver epoll").get(EventDriverFactory.DRIVER_PROPERTY));
    }

    @Test
    void shouldFollowFactoriesThatComeAndGoWhileActive() {
        DriverDemoSteps component = new DriverDemoSteps();
        component.activate(context());
        EventDriverFactory epoll = named("epoll", true);
        EventDriverFactory nio = named("nio", true);

        component.addFactory(epoll);
        component.addFactory(nio);
        component.removeFactory(epoll);

        assertEquals(List.of("core: event driver nio"), component.registeredSteps());
        assertEquals(List.of("+core: event driver epoll", "+core: event driver nio", "-core: event driver epoll"), log);
    }

    @Test
    void shouldRegisterNoStepForAnUnavailableDriver() {
        DriverDemoSteps component = new DriverDemoSteps();
        component.activate(context());

        component.addFactory(named("epoll", false));
        component.removeFactory(named("other", true));

        assertTrue(registered.isEmpty(), registered.toString());
    }

    @Test
    void shouldUnregisterEveryStepOnDeactivation() {
        DriverDemoSteps component = new DriverDemoSteps();
        EventDriverFactory nio = named("nio", true);
        component.addFactory(nio);
        component.activate(context());

        component.deactivate();
        component.removeFactory(nio);

        assertTrue(registered.isEmpty(), registered.toString());
        assertEquals(List.of("+core: event driver nio", "-core: event driver nio"), log);
    }
}
