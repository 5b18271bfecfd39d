package io.ferry.node.console;

import io.ferry.api.buffer.BufferPool;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.Worker;
import io.ferry.api.net.NetworkStack;
import io.ferry.node.console.NodeSnapshot.BundleInfo;
import io.ferry.node.console.NodeSnapshot.DriverInfo;
import io.ferry.node.console.NodeSnapshot.PoolInfo;
import io.ferry.node.console.NodeSnapshot.StackInfo;
import io.ferry.node.console.NodeSnapshot.WorkerInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks the Ferry services of the node (every NetworkStack, EventDriverFactory and BufferPool,
 * with their service properties) and takes {@link NodeSnapshot snapshots} for the console and
 * the demo. The references are optional and dynamic: the inventory is there even when the core
 * bundle is stopped, and reports what is missing.
 *
 * <p>Any thread may call {@link #snapshot()}; it never blocks on the services it inspects
 * beyond their own getters, and a service that fails while inspected is reported, not thrown.
 */
@Component(service = NodeInventory.class)
public final class NodeInventory {
    /** Bundles whose symbolic name starts with this are Ferry's. */
    public static final String FERRY_BUNDLE_PREFIX = "io.ferry.";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, NetworkStack>> stacks;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, EventDriverFactory>> drivers;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<BufferPool> pools;

    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    /** @return the node as it is now. */
    public NodeSnapshot snapshot() {
        return new NodeSnapshot(bundles(), stacks(), drivers(), pools());
    }

    private List<BundleInfo> bundles() {
        List<BundleInfo> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith(FERRY_BUNDLE_PREFIX)) {
                out.add(new BundleInfo(b.getBundleId(), stateName(b.getState()), name, b.getVersion().toString()));
            }
        }
        out.sort(Comparator.comparingLong(BundleInfo::id));
        return out;
    }

    private List<StackInfo> stacks() {
        List<StackInfo> out = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, NetworkStack> e : listOrEmpty(stacks)) {
            out.add(inspect(String.valueOf(e.getKey().get(NetworkStack.TYPE_PROPERTY)), e.getValue()));
        }
        out.sort(Comparator.comparing(StackInfo::type));
        return out;
    }

    /** Reads a stack's driver and workers; a stack that is being stopped may throw, which is reported. */
    static StackInfo inspect(String type, NetworkStack stack) {
        try {
            List<WorkerInfo> workers = new ArrayList<>();
            for (Worker w : stack.workers()) {
                workers.add(new WorkerInfo(w.id(), w.center().name(), w.load(), w.eventsProcessed(), w.isRunning()));
            }
            return new StackInfo(type, stack.driverName(), workers, null);
        } catch (RuntimeException e) {
            return new StackInfo(type, null, List.of(), "cannot inspect: " + e);
        }
    }

    private List<DriverInfo> drivers() {
        List<DriverInfo> out = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, EventDriverFactory> e : listOrEmpty(drivers)) {
            EventDriverFactory f = e.getValue();
            String name = String.valueOf(e.getKey().get(EventDriverFactory.DRIVER_PROPERTY));
            boolean available;
            boolean fds;
            try {
                available = f.isAvailable();
                fds = f.pollsFileDescriptors();
            } catch (RuntimeException ex) {
                available = false;
                fds = false;
            }
            out.add(new DriverInfo(name, available, fds));
        }
        out.sort(Comparator.comparing(DriverInfo::name));
        return out;
    }

    private List<PoolInfo> pools() {
        List<PoolInfo> out = new ArrayList<>();
        for (BufferPool p : listOrEmpty(pools)) {
            out.add(new PoolInfo(p.bytesInUse(), p.buffersInUse()));
        }
        return out;
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** @return the OSGi bundle state as a word, such as {@code ACTIVE}. */
    public static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNKNOWN(" + state + ")";
        }
    }
}
