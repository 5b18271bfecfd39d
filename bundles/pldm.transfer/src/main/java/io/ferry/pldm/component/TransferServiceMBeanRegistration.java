package io.ferry.pldm.component;

import io.ferry.api.pldm.HandlerInfo;
import io.ferry.api.pldm.TransferCounters;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link TransferServiceMXBean} on the platform MBean server for as long as the
 * transfer service component is active. Registration problems are logged, never fatal: the service
 * runs without JMX. {@link #register()} and {@link #unregister()} are called from the component's
 * life-cycle methods.
 */
final class TransferServiceMBeanRegistration implements TransferServiceMXBean {
    static final String OBJECT_NAME = "io.ferry:type=TransferService,name=pldm";
    private static final Logger LOG = LoggerFactory.getLogger(TransferServiceMBeanRegistration.class);

    private final TransferServiceComponent service;
    private ObjectName registered;

    TransferServiceMBeanRegistration(TransferServiceComponent service) {
        this.service = service;
    }

    void register() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                LOG.warn("JMX name {} is taken (another PLDM transfer service?); not publishing counters", name);
                return;
            }
            server.registerMBean(this, name);
            registered = name;
        } catch (JMException | RuntimeException e) {
            LOG.warn("cannot publish the PLDM transfer service's counters over JMX: {}", e.toString());
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

    private TransferCounters c() {
        return service.counters();
    }

    @Override
    public int getInFlight() {
        return c().inFlight();
    }

    @Override
    public long getCompleted() {
        return c().completed();
    }

    @Override
    public long getFailed() {
        return c().failed();
    }

    @Override
    public long getTimedOut() {
        return c().timedOut();
    }

    @Override
    public long getAbandoned() {
        return c().abandoned();
    }

    @Override
    public long getBytes() {
        return c().bytes();
    }

    @Override
    public long getRequests() {
        return c().requests();
    }

    @Override
    public long getRefused() {
        return c().refused();
    }

    @Override
    public long getStrays() {
        return c().strays();
    }

    @Override
    public int[] getFileTypes() {
        return service.handlers().stream().mapToInt(HandlerInfo::fileType).toArray();
    }

    @Override
    public String getDescription() {
        return service.describe();
    }
}
