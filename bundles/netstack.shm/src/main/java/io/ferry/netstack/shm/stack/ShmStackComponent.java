package io.ferry.netstack.shm.stack;

import io.ferry.api.event.Worker;
import io.ferry.api.event.WorkerPool;
import io.ferry.api.event.WorkerPoolFactory;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.control.PeerPolicy;
import io.ferry.netstack.shm.server.ShmControlServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@code shm} {@link NetworkStack} service ({@code ferry.stack=shm}) and runs its
 * control server. Configuration (PID {@value ShmStackConfig#PID}) is validated: a bad value is
 * refused with a log line naming it, and the stack keeps running as it was (or starts on the
 * defaults at activation). A valid change restarts the stack: open sockets fail with
 * {@code -ESHUTDOWN}, clients see the hang-up.
 *
 * <p>Any thread may call the service methods.
 */
@Component(service = NetworkStack.class, configurationPid = ShmStackConfig.PID,
        property = NetworkStack.TYPE_PROPERTY + "=" + ShmNetworkStack.TYPE)
@Designate(ocd = ShmStackConfig.class)
public final class ShmStackComponent implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(ShmStackComponent.class);
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    @Reference
    private WorkerPoolFactory workerPools;
    private volatile ShmNetworkStack stack;
    private Settings settings;

    /** Valid settings, after checking. */
    record Settings(Path socketPath, int workers, String driver, int ringCapacity, int maxChannels,
            long helloTimeoutMillis, int allowedGroup, boolean busyPoll) {
    }

    @Activate
    void activate(Map<String, Object> properties) throws IOException {
        Settings wanted = parse(properties);
        if (wanted == null) {
            wanted = parse(Map.of());
            LOG.warn("shm stack: starting on the defaults {}", wanted);
        }
        stack = startStack(wanted);
        settings = wanted;
    }

    @Modified
    void modified(Map<String, Object> properties) throws IOException {
        Settings wanted = parse(properties);
        if (wanted == null || wanted.equals(settings)) {
            return;
        }
        ShmNetworkStack previous = stack;
        previous.stop(STOP_TIMEOUT_MILLIS); // the socket path may be the same: the old server must let go first
        try {
            stack = startStack(wanted);
            settings = wanted;
            LOG.info("shm stack: reconfigured to {}; open sockets of the old stack failed", wanted);
        } catch (IOException | RuntimeException e) {
            LOG.error("shm stack: refused configuration {}: {}; back to {}", wanted, e.getMessage(), settings);
            stack = startStack(settings);
        }
    }

    @Deactivate
    void deactivate() {
        ShmNetworkStack s = stack;
        if (s != null) {
            s.stop(STOP_TIMEOUT_MILLIS);
        }
    }

    /** @return the running stack, for status output and console commands. */
    public ShmNetworkStack current() {
        return stack;
    }

    /** Checks the configuration; logs (naming the bad value) and returns null if a value is bad. */
    Settings parse(Map<String, Object> p) {
        String keep = settings == null ? "the defaults" : settings.toString();
        try {
            String path = String.valueOf(p.getOrDefault("socketPath", "")).trim();
            Path socketPath;
            if (path.isEmpty()) {
                socketPath = ShmControlServer.defaultSocketPath(ShmControlServer.currentUid());
            } else {
                socketPath = Path.of(path);
                if (!socketPath.isAbsolute() || socketPath.getParent() == null) {
                    return refuse("socketPath='" + path + "' must be an absolute path with a directory", keep);
                }
                if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
                    return refuse("socketPath='" + path + "' is longer than an AF_UNIX path may be (107 bytes)", keep);
                }
            }
            long workers = whole(p, "workers", ShmStackConfig.WORKERS_DEFAULT);
            if (workers < 1 || workers > ShmStackConfig.WORKERS_MAX) {
                return refuse("workers=" + workers + " must be 1.." + ShmStackConfig.WORKERS_MAX, keep);
            }
            String driver = String.valueOf(p.getOrDefault("driver", ShmStackConfig.DRIVER_DEFAULT)).trim();
            if (!driver.equals("auto") && !driver.equals("epoll")) {
                return refuse("driver='" + driver + "' must be epoll or auto (the shm sockets are file descriptors)", keep);
            }
            long ring = whole(p, "ringCapacity", ShmStackConfig.RING_CAPACITY_DEFAULT);
            if (ring < 64 || ring > (1 << 30)) {
                return refuse("ringCapacity=" + ring + " must be 64..1073741824", keep);
            }
            long channels = whole(p, "maxChannels", ShmStackConfig.MAX_CHANNELS_DEFAULT);
            if (channels < 1 || channels > ShmStackConfig.MAX_CHANNELS_MAX) {
                return refuse("maxChannels=" + channels + " must be 1.." + ShmStackConfig.MAX_CHANNELS_MAX, keep);
            }
            long hello = whole(p, "helloTimeoutMillis", ShmStackConfig.HELLO_TIMEOUT_MILLIS_DEFAULT);
            if (hello < 1 || hello > TimeUnit.HOURS.toMillis(1)) {
                return refuse("helloTimeoutMillis=" + hello + " must be 1..3600000", keep);
            }
            long group = whole(p, "allowedGroup", ShmStackConfig.ALLOWED_GROUP_NONE);
            if (group < -1 || group > 0xFFFFFFFEL) {
                return refuse("allowedGroup=" + group + " must be a gid or -1", keep);
            }
            Object bp = p.getOrDefault("busyPoll", false);
            String bpText = String.valueOf(bp).trim();
            if (!bpText.equalsIgnoreCase("true") && !bpText.equalsIgnoreCase("false")) {
                return refuse("busyPoll='" + bp + "' must be true or false", keep);
            }
            return new Settings(socketPath, (int) workers, driver, (int) ring, (int) channels, hello, (int) group,
                    Boolean.parseBoolean(bpText));
        } catch (NumberFormatException | ArithmeticException e) {
            return refuse("a number is not a whole number (" + e.getMessage() + ")", keep);
        } catch (IOException | RuntimeException e) {
            return refuse(e.getMessage(), keep);
        }
    }

    private static Settings refuse(String why, String keep) {
        LOG.error("shm stack: refused configuration: {}; keeping {}", why, keep);
        return null;
    }

    private static long whole(Map<String, Object> p, String key, long dflt) {
        Object value = p.getOrDefault(key, dflt);
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        try {
            return new BigDecimal(String.valueOf(value).trim()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new NumberFormatException(key + "='" + value + "'");
        }
    }

    private ShmNetworkStack startStack(Settings s) throws IOException {
        // "auto" and "epoll" alike: the shm sockets are file descriptors, only epoll polls those.
        WorkerPool pool = workerPools.create("ferry-shm", s.workers(), "epoll");
        int uid = ShmControlServer.currentUid();
        PeerPolicy policy = s.allowedGroup() == ShmStackConfig.ALLOWED_GROUP_NONE ? PeerPolicy.sameUidOnly(uid)
                : new PeerPolicy(uid, s.allowedGroup());
        ShmControlServer.Config config = new ShmControlServer.Config(s.socketPath(), policy,
                TimeUnit.MILLISECONDS.toNanos(s.helloTimeoutMillis()), ShmControlServer.SEGMENT_SIZE_DEFAULT,
                s.maxChannels(), s.ringCapacity());
        ShmNetworkStack next = new ShmNetworkStack(pool, config);
        next.setBusyPoll(s.busyPoll());
        next.start(); // closes the pool if it fails
        return next;
    }

    @Override
    public String type() {
        return ShmNetworkStack.TYPE;
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
