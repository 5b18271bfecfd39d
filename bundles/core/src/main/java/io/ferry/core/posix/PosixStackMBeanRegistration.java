package io.ferry.core.posix;

import io.ferry.core.event.EventLoopWorker;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link PosixStackMXBean} on the platform MBean server for as long as the stack
 * component is active. Registration problems are logged, never fatal: the stack runs without JMX.
 * {@link #register()} and {@link #unregister()} are called from the component's activation thread.
 */
final class PosixStackMBeanRegistration implements PosixStackMXBean {
    static final String OBJECT_NAME = "io.ferry:type=NetworkStack,name=posix";
    private static final Logger LOG = LoggerFactory.getLogger(PosixStackMBeanRegistration.class);

    private final Supplier<PosixNetworkStack> stack;
    private ObjectName registered;

    PosixStackMBeanRegistration(Supplier<PosixNetworkStack> stack) {
        this.stack = stack;
    }

    void register() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                LOG.warn("JMX name {} is taken (another posix stack component?); not publishing counters", name);
                return;
            }
            server.registerMBean(this, name);
            registered = name;
        } catch (JMException | RuntimeException e) {
            LOG.warn("cannot publish the posix stack's counters over JMX: {}", e.toString());
        }
    }

    void unregister() {
        if (registered == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (JMException | RuntimeException e) {
            LOG.warn("cannot unregister {}: {}", registered, e.toString());
        }
        registered = null;
    }

    private List<EventLoopWorker> workers() {
        PosixNetworkStack s = stack.get();
        return s == null ? List.of() : s.eventLoopWorkers();
    }

    @Override
    public String getDriver() {
        PosixNetworkStack s = stack.get();
        return s == null ? "" : s.driverName();
    }

    @Override
    public String getSocketProvider() {
        PosixNetworkStack s = stack.get();
        return s == null ? "" : s.socketProviderName();
    }

    @Override
    public String getNativeCalls() {
        PosixNetworkStack s = stack.get();
        return s == null ? "" : s.nativeCalls();
    }

    @Override
    public int getWorkerCount() {
        return workers().size();
    }

    @Override
    public int getOpenSockets() {
        PosixNetworkStack s = stack.get();
        return s == null ? 0 : s.openSockets();
    }

    @Override
    public int[] getWorkerLoads() {
        return workers().stream().mapToInt(EventLoopWorker::load).toArray();
    }

    @Override
    public long[] getWorkerEventsProcessed() {
        return workers().stream().mapToLong(EventLoopWorker::eventsProcessed).toArray();
    }

    @Override
    public long getHandlerFailures() {
        return workers().stream().mapToLong(w -> w.defaultCenter().handlerFailures()).sum();
    }

    @Override
    public long getPollBeforeSleepMicros() {
        PosixNetworkStack s = stack.get();
        return s == null ? 0 : TimeUnit.NANOSECONDS.toMicros(s.pollBeforeSleepNanos());
    }

    @Override
    public long getPollsCaught() {
        PosixNetworkStack s = stack.get();
        return s == null ? 0 : s.pollsCaught();
    }

    @Override
    public long getPollsMissed() {
        PosixNetworkStack s = stack.get();
        return s == null ? 0 : s.pollsMissed();
    }
}
