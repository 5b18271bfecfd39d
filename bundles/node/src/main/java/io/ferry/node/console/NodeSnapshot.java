package io.ferry.node.console;

import java.util.List;
import java.util.Optional;

/**
 * What the node looked like at one moment: its Ferry bundles and the Ferry services they
 * registered. Immutable; built by {@link NodeInventory#snapshot()} and rendered by
 * {@link StatusReport}.
 *
 * @param bundles the {@code io.ferry.*} bundles, by id
 * @param stacks the NetworkStack services, by {@code ferry.stack}
 * @param drivers the EventDriverFactory services, by {@code ferry.driver}
 * @param pools the BufferPool services
 */
public record NodeSnapshot(List<BundleInfo> bundles, List<StackInfo> stacks, List<DriverInfo> drivers,
        List<PoolInfo> pools) {

    public NodeSnapshot {
        bundles = List.copyOf(bundles);
        stacks = List.copyOf(stacks);
        drivers = List.copyOf(drivers);
        pools = List.copyOf(pools);
    }

    /** @return the bundle with this symbolic name, if installed. */
    public Optional<BundleInfo> bundle(String symbolicName) {
        return bundles.stream().filter(b -> b.name().equals(symbolicName)).findFirst();
    }

    /** One installed bundle; {@code state} is the OSGi state in capitals ({@code ACTIVE}). */
    public record BundleInfo(long id, String state, String name, String version) {
        public boolean isActive() {
            return "ACTIVE".equals(state);
        }
    }

    /**
     * One NetworkStack service.
     *
     * @param type the {@code ferry.stack} property
     * @param driver the event driver its workers poll with, or null if it could not say
     * @param workers its workers, in id order
     * @param problem why the stack could not be inspected (it is stopping, say), or null
     */
    public record StackInfo(String type, String driver, List<WorkerInfo> workers, String problem) {
        public StackInfo {
            workers = List.copyOf(workers);
        }
    }

    /** One worker of a stack: its thread, the sockets assigned to it and the events it ran. */
    public record WorkerInfo(int id, String thread, int load, long eventsProcessed, boolean running) {
    }

    /** One EventDriverFactory service, by its {@code ferry.driver} property. */
    public record DriverInfo(String name, boolean available, boolean pollsFileDescriptors) {
    }

    /** One BufferPool service. */
    public record PoolInfo(long bytesInUse, long buffersInUse) {
    }
}
