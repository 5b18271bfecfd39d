package io.ferry.core.posix;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@code posix} {@link NetworkStack} service. Configuration (PID
 * {@value PosixStackConfig#PID}) is validated: a bad value is refused with a log line naming it,
 * and the stack keeps running as it was (or on the defaults, at activation). A valid change
 * restarts the stack: open sockets fail with {@code -ESHUTDOWN}, they are never left hanging.
 *
 * <p>Any thread may call the service methods.
 */
@Component(service = NetworkStack.class, configurationPid = PosixStackConfig.PID,
        property = NetworkStack.TYPE_PROPERTY + "=" + PosixNetworkStack.TYPE)
@Designate(ocd = PosixStackConfig.class)
public final class PosixStackComponent implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(PosixStackComponent.class);
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final List<EventDriverFactory> drivers = new CopyOnWriteArrayList<>();
    private volatile PosixNetworkStack stack;
    private Settings settings;
    private final PosixStackMBeanRegistration jmx = new PosixStackMBeanRegistration(() -> stack);

    /** Valid settings, after checking. */
    record Settings(int workers, String driver, int pollMicros) {
        Settings(int workers, String driver) {
            this(workers, driver, PosixStackConfig.POLL_MICROS_DEFAULT);
        }

        /** @return true if {@code other} runs the same stack (what differs can change while it runs) */
        boolean sameStack(Settings other) {
            return other != null && workers == other.workers && driver.equals(other.driver);
        }
    }

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDriver(EventDriverFactory factory) {
        drivers.add(factory);
    }

    void removeDriver(EventDriverFactory factory) {
        drivers.remove(factory);
    }

    @Activate
    void activate(Map<String, Object> properties) throws IOException {
        Settings wanted = parse(properties);
        if (wanted == null) {
            wanted = new Settings(PosixStackConfig.WORKERS_DEFAULT, PosixStackConfig.DRIVER_DEFAULT);
            LOG.warn("posix stack: starting on the defaults ({} workers, driver {})", wanted.workers(), wanted.driver());
        }
        stack = startStack(wanted);
        settings = wanted;
        jmx.register();
    }

    @Modified
    void modified(Map<String, Object> properties) throws IOException {
        Settings wanted = parse(properties);
        if (wanted == null || wanted.equals(settings)) {
            return;
        }
        if (wanted.sameStack(settings)) {
            stack.pollBeforeSleep(TimeUnit.MICROSECONDS.toNanos(wanted.pollMicros()));
            settings = wanted;
            LOG.info("posix stack: workers poll up to {} us before sleeping", wanted.pollMicros());
            return;
        }
        PosixNetworkStack next;
        try {
            next = startStack(wanted);
        } catch (IOException | RuntimeException e) {
            LOG.error("posix stack: refused configuration {}: {}; keeping {}", wanted, e.getMessage(), settings);
            return;
        }
        PosixNetworkStack previous = stack;
        stack = next;
        settings = wanted;
        LOG.info("posix stack: reconfigured to {} workers, driver {}; open sockets of the old stack fail",
                wanted.workers(), next.driverName());
        previous.stop(STOP_TIMEOUT_MILLIS);
    }

    @Deactivate
    void deactivate() {
        jmx.unregister();
        PosixNetworkStack s = stack;
        if (s != null) {
            s.stop(STOP_TIMEOUT_MILLIS);
        }
    }

    /** @return the running stack, for status output. */
    public PosixNetworkStack current() {
        return stack;
    }

    /** Checks the configuration; logs and returns null if a value is bad. */
    Settings parse(Map<String, Object> properties) {
        Integer workers = wholeNumberIn(properties, "workers", PosixStackConfig.WORKERS_DEFAULT, 1,
                PosixStackConfig.WORKERS_MAX);
        if (workers == null) {
            return null;
        }
        String driver = String.valueOf(properties.getOrDefault("driver", PosixStackConfig.DRIVER_DEFAULT)).trim();
        if (!driver.equals("auto") && findDriver(driver) == null) {
            LOG.error("posix stack: refused configuration: driver='{}' is not an available event driver (have {}); keeping {}",
                    driver, driverNames(), describe());
            return null;
        }
        Integer pollMicros = wholeNumberIn(properties, "pollMicros", PosixStackConfig.POLL_MICROS_DEFAULT, 0,
                PosixStackConfig.POLL_MICROS_MAX);
        return pollMicros == null ? null : new Settings(workers, driver, pollMicros);
    }

    /** @return the value of {@code key} (or its default) if it is a whole number in min..max, else null (logged) */
    private Integer wholeNumberIn(Map<String, Object> properties, String key, int defaultValue, int min, int max) {
        Object value = properties.getOrDefault(key, defaultValue);
        long n;
        try {
            n = wholeNumber(value);
        } catch (NumberFormatException | ArithmeticException e) {
            LOG.error("posix stack: refused configuration: {}='{}' is not a whole number; keeping {}", key, value, describe());
            return null;
        }
        if (n < min || n > max) {
            LOG.error("posix stack: refused configuration: {}={} must be {}..{}; keeping {}", key, n, min, max, describe());
            return null;
        }
        return (int) n;
    }

    /** Reads a whole number exactly: no truncation of 2.7 or of values beyond a long. */
    private static long wholeNumber(Object value) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        return new BigDecimal(String.valueOf(value).trim()).longValueExact();
    }

    private String describe() {
        return settings == null ? "the defaults" : settings.toString();
    }

    private PosixNetworkStack startStack(Settings s) throws IOException {
        EventDriverFactory factory = s.driver().equals("auto") ? autoDriver() : findDriver(s.driver());
        if (factory == null) {
            throw new IOException("no event driver available (have " + driverNames() + ")");
        }
        PosixNetworkStack next = new PosixNetworkStack("ferry-posix", factory, s.workers());
        next.pollBeforeSleep(TimeUnit.MICROSECONDS.toNanos(s.pollMicros()));
        next.start();
        return next;
    }

    private EventDriverFactory autoDriver() {
        EventDriverFactory epoll = findDriver("epoll");
        return epoll != null ? epoll : findDriver("nio");
    }

    private EventDriverFactory findDriver(String name) {
        for (EventDriverFactory f : drivers) {
            if (Objects.equals(f.name(), name) && f.isAvailable()) {
                return f;
            }
        }
        return null;
    }

    private List<String> driverNames() {
        return drivers.stream().filter(EventDriverFactory::isAvailable).map(EventDriverFactory::name).toList();
    }

    @Override
    public String type() {
        return PosixNetworkStack.TYPE;
    }

    @Override
    public String driverName() {
        return stack.driverName();
    }

    @Override
    public List<Worker> workers() {
        return stack.workers();
    }

    @Override
    public Worker leastLoadedWorker() {
        return stack.leastLoadedWorker();
    }

    @Override
    public ServerSocket listen(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return stack.listen(address, options, worker);
    }

    @Override
    public ConnectedSocket connect(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return stack.connect(address, options, worker);
    }
}
