package io.ferry.messenger.component;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityName;
import io.ferry.messenger.internal.AsyncMessenger;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one messenger's {@link MessengerMXBean} on the platform MBean server. Problems are
 * logged, never fatal: the messenger runs without JMX. Called on the component's DS thread.
 */
final class MessengerMBeanRegistration implements MessengerMXBean {
    private static final Logger LOG = LoggerFactory.getLogger(MessengerMBeanRegistration.class);

    private final AsyncMessenger messenger;
    private ObjectName registered;

    MessengerMBeanRegistration(AsyncMessenger messenger) {
        this.messenger = messenger;
    }

    /** @return the object name for a messenger called {@code name}. */
    static String objectName(String name) {
        return "io.ferry:type=Messenger,name=" + ObjectName.quote(name);
    }

    void register() {
        try {
            ObjectName name = new ObjectName(objectName(messenger.name()));
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                LOG.warn("JMX name {} is taken (two messengers with one name?); not publishing its counters", name);
                return;
            }
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, name);
            registered = name;
        } catch (JMException | RuntimeException e) {
            LOG.warn("cannot publish messenger {}'s counters over JMX: {}", messenger.name(), e.toString());
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

    @Override
    public String getName() {
        return messenger.name();
    }

    @Override
    public String getEntity() {
        return messenger.myName().toString();
    }

    @Override
    public String getAddress() {
        return messenger.myAddress().toString();
    }

    @Override
    public String getStack() {
        return messenger.stack().type();
    }

    @Override
    public int getConnectionCount() {
        return messenger.connections().size();
    }

    @Override
    public List<String> getConnections() {
        List<String> lines = new ArrayList<>();
        for (Connection c : messenger.connections()) {
            lines.add(c.peerAddress() + " " + (c.peerType() < 0 ? "?" : EntityName.typeName(c.peerType())) + " " + c.state()
                    + " " + PolicyNames.name(c.policy()) + " out_seq=" + c.outSeq() + " in_seq=" + c.inSeq() + " queued="
                    + c.queuedMessages() + " unacked=" + c.unackedMessages());
        }
        return lines;
    }

    @Override
    public long getMessagesHeld() {
        return messenger.messagesHeld();
    }

    @Override
    public long getBytesHeld() {
        return messenger.bytesHeld();
    }

    @Override
    public Map<String, Long> getCounters() {
        return messenger.counters().snapshot();
    }
}
