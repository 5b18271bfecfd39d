package io.ferry.core.event;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.WorkerPool;
import io.ferry.api.event.WorkerPoolFactory;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link WorkerPoolFactory} service: {@link EventLoopWorkerPool}s over the
 * {@link EventDriverFactory} services present (epoll, nio). Pools still open when this component
 * deactivates are closed then (their threads run this bundle's code).
 *
 * <p>Any thread may call {@link #create}.
 */
@Component(service = WorkerPoolFactory.class)
public final class WorkerPoolComponent implements WorkerPoolFactory {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPoolComponent.class);

    private final List<EventDriverFactory> drivers = new CopyOnWriteArrayList<>();
    private final Set<EventLoopWorkerPool> pools = ConcurrentHashMap.newKeySet();
    private volatile boolean deactivated;

    /** For use without OSGi (tests): a factory over the given drivers. */
    public static WorkerPoolComponent over(EventDriverFactory... factories) {
        WorkerPoolComponent c = new WorkerPoolComponent();
        for (EventDriverFactory f : factories) {
            c.addDriver(f);
        }
        return c;
    }

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDriver(EventDriverFactory factory) {
        drivers.add(factory);
    }

    void removeDriver(EventDriverFactory factory) {
        drivers.remove(factory);
    }

    @Override
    public WorkerPool create(String threadNamePrefix, int workers, String driverName) throws IOException {
        if (deactivated) {
            throw new IOException("the worker pool factory is no longer active");
        }
        EventDriverFactory factory = choose(driverName);
        EventLoopWorkerPool pool = EventLoopWorkerPool.start(threadNamePrefix, workers, factory);
        pools.add(pool);
        if (deactivated) { // raced with deactivate(): do not leave it behind
            pool.close();
            throw new IOException("the worker pool factory is no longer active");
        }
        return new TrackedPool(pool);
    }

    /** @return the pools created and not yet closed. */
    public int openPools() {
        pools.removeIf(EventLoopWorkerPool::isClosed);
        return pools.size();
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        for (EventLoopWorkerPool p : pools) {
            if (!p.isClosed()) {
                LOG.warn("closing {} left open by its owner ({})", p, p.eventLoopWorkers().get(0).thread().getName());
                p.close();
            }
        }
        pools.clear();
    }

    /**
     * Picks the driver: {@code auto} is epoll where available, else nio.
     *
     * @throws IOException naming the drivers there are when none matches
     */
    EventDriverFactory choose(String name) throws IOException {
        String wanted = name == null ? AUTO_DRIVER : name.trim();
        EventDriverFactory f = wanted.equals(AUTO_DRIVER) ? Objects.requireNonNullElse(find("epoll"), find("nio"))
                : find(wanted);
        if (f == null) {
            throw new IOException("no available event driver '" + wanted + "' (have " + drivers.stream()
                    .filter(EventDriverFactory::isAvailable).map(EventDriverFactory::name).toList() + ")");
        }
        return f;
    }

    private EventDriverFactory find(String name) {
        for (EventDriverFactory f : drivers) {
            if (Objects.equals(f.name(), name) && f.isAvailable()) {
                return f;
            }
        }
        return null;
    }

    /** The pool as handed out: closing it also forgets it here. */
    private final class TrackedPool implements WorkerPool {
        private final EventLoopWorkerPool pool;

        TrackedPool(EventLoopWorkerPool pool) {
            this.pool = pool;
        }

        @Override
        public String driverName() {
            return pool.driverName();
        }

        @Override
        public boolean pollsFileDescriptors() {
            return pool.pollsFileDescriptors();
        }

        @Override
        public List<io.ferry.api.event.Worker> workers() {
            return pool.workers();
        }

        @Override
        public io.ferry.api.event.Worker leastLoadedWorker() {
            return pool.leastLoadedWorker();
        }

        @Override
        public boolean contains(io.ferry.api.event.Worker worker) {
            return pool.contains(worker);
        }

        @Override
        public boolean isClosed() {
            return pool.isClosed();
        }

        @Override
        public boolean close(long timeoutMillis) {
            boolean ended = pool.close(timeoutMillis);
            pools.remove(pool);
            return ended;
        }

        @Override
        public void close() {
            close(DEFAULT_CLOSE_TIMEOUT_MILLIS);
        }

        @Override
        public String toString() {
            return pool.toString();
        }
    }
}
