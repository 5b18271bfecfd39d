package io.ferry.pldm.component;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.Worker;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.HandlerInfo;
import io.ferry.api.pldm.TransferCounters;
import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferListener;
import io.ferry.api.pldm.TransferService;
import io.ferry.pldm.dma.DmaEngine;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.engine.TransferEngine;
import io.ferry.pldm.engine.TransferEngineConfig;
import io.ferry.pldm.handler.HandlerRegistry;
import io.ferry.pldm.mctp.InJvmMctpTransport;
import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.mctp.MctpTransport;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import io.ferry.pldm.simulator.SimulatorConfig;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
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
 * The {@link TransferService}: a {@link TransferEngine} on one event loop of the {@code posix}
 * network stack, over the configured {@link DmaEngine} service and {@link MctpEndpoint}, serving
 * the {@link FileTypeHandler} whiteboard. Also registers {@link LocalTerminals}, through which
 * the console, the demo and tests join a remote-terminus simulator to the engine inside the node.
 *
 * <p><b>Handlers at run time.</b> A handler service that appears serves its file type from the next
 * request on (the first handler of a type wins; a second one waits and takes over when the first
 * leaves). One that leaves is taken out of the registry at once — its type answers 0x89 — and its
 * transfers still running fail cleanly: the channels they write or read are closed on the loop
 * ({@link RevocableHandler}), the DMA fails at its next slice, the host is answered ERROR and the
 * handler's {@code transferFailed} removes the partial file.
 *
 * <p><b>Configuration</b> (PID {@value TransferServiceConfig#PID}) is checked: a bad value is
 * refused with a log line naming it (at activation the defaults are used; later the running engine
 * stays). A valid change restarts the engine: transfers in flight are abandoned (their handlers
 * told), the socket is re-opened. A socket that cannot be opened (another demux owns
 * {@code \0mctp-mux}) is logged; the service then serves in-node terminals only. The DMA engine,
 * endpoint and stack references are static: when one changes, DS restarts this component.
 *
 * <p><b>Threading:</b> the {@link TransferService} methods may be called from any thread and never
 * block (they read the engine's snapshots); DS life-cycle and bind methods are serialized on
 * {@code lock}; handler wrappers are revoked on the engine's loop.
 */
@Component(service = {TransferService.class, LocalTerminals.class}, immediate = true,
        configurationPid = TransferServiceConfig.PID)
@Designate(ocd = TransferServiceConfig.class)
public final class TransferServiceComponent implements TransferService, LocalTerminals {
    private static final Logger LOG = LoggerFactory.getLogger(TransferServiceComponent.class);
    private static final String LABEL = "PLDM transfer service";
    static final long STOP_WAIT_MILLIS = 5_000;
    static final int LOCAL_EID_FIRST = 100;
    static final int LOCAL_EID_LAST = 199;
    static final int LOCAL_QUEUE_CAPACITY = 256;
    /** How often the watchdog checks that the engine's event loop still runs. */
    static final long WATCHDOG_MILLIS = 1_000;

    /** Valid settings; {@code fileTableDirectory} null means the default. */
    record Settings(int tid, long timeoutMillis, int maxTransfers, int maxInlineLength, Path fileTableDirectory,
            String dmaEngine) {
    }

    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=posix)")
    NetworkStack stack;

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
    List<DmaEngine> dmaEngines;

    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    MctpEndpoint endpoint;

    private final Object lock = new Object();
    private final HandlerRegistry registry = new HandlerRegistry();
    /** Whiteboard handler -> its wrapper, in arrival order per type (standbys wait here). */
    private final Map<FileTypeHandler, RevocableHandler> wrappers = new ConcurrentHashMap<>();
    private final Set<TransferListener> listeners = new CopyOnWriteArraySet<>();
    private BundleContext context;
    private Settings settings;
    private volatile Running running;
    private ScheduledExecutorService watchdog;
    private final TransferServiceMBeanRegistration jmx = new TransferServiceMBeanRegistration(this);

    /** One started engine and what it holds. */
    private final class Running {
        final Worker worker;
        final EventCenter center;
        final DmaEngine dma;
        final TransferEngine engine;
        final MctpTransport transport;
        final String transportState;
        final HostRanges ranges;
        final Set<Terminal> terminals = ConcurrentHashMap.newKeySet();
        private int nextEid = LOCAL_EID_FIRST;

        Running(Worker worker, DmaEngine dma, TransferEngine engine, MctpTransport transport, String transportState) {
            this.worker = worker;
            this.center = worker.center();
            this.dma = dma;
            this.engine = engine;
            this.transport = transport;
            this.transportState = transportState;
            this.ranges = dma instanceof ShmDmaEngine shm ? new HostRanges(shm.window().size()) : null;
        }

        synchronized int allocateEid() throws IOException {
            for (int i = 0; i <= LOCAL_EID_LAST - LOCAL_EID_FIRST; i++) {
                int eid = nextEid;
                nextEid = nextEid == LOCAL_EID_LAST ? LOCAL_EID_FIRST : nextEid + 1;
                if (eid != endpoint.config().localEid() && terminals.stream().noneMatch(t -> t.eid == eid)) {
                    return eid;
                }
            }
            throw new IOException("all local terminal eids " + LOCAL_EID_FIRST + ".." + LOCAL_EID_LAST + " are in use");
        }
    }

    // ---- life cycle ----------------------------------------------------------------------------

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) throws IOException {
        synchronized (lock) {
            context = bundleContext;
            Settings wanted;
            try {
                wanted = parse(properties);
            } catch (ConfigValues.BadValue e) {
                wanted = defaults();
                LOG.error("{}: refused configuration: {}; starting on the defaults", LABEL, e.getMessage());
            }
            running = start(wanted);
            settings = wanted;
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ferry-pldm-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.scheduleWithFixedDelay(this::checkLoop, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
            jmx.register();
        }
    }

    /**
     * The posix stack may stop its workers underneath this component (a reconfiguration of the
     * stack keeps the same service object, so DS restarts nothing): when the engine's loop has shut
     * down, restart the engine on a running worker. Watchdog thread.
     */
    void checkLoop() {
        synchronized (lock) {
            Running r = running;
            if (settings == null || context == null || (r != null && !r.center.isShutdown())) {
                return;
            }
            if (r != null) {
                LOG.warn("{}: its event loop stopped (the posix stack restarted?); restarting on a new worker", LABEL);
                running = null;
                stop(r);
            }
            try {
                running = start(settings);
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: could not restart: {}; retrying in {} ms", LABEL, e.toString(), WATCHDOG_MILLIS);
                running = null;
            }
        }
    }

    @Modified
    void modified(Map<String, Object> properties) throws IOException {
        synchronized (lock) {
            Settings wanted;
            try {
                wanted = parse(properties);
            } catch (ConfigValues.BadValue e) {
                LOG.error("{}: refused configuration: {}; keeping {}", LABEL, e.getMessage(), settings);
                return;
            }
            if (wanted.equals(settings)) {
                return;
            }
            Running previous = running;
            running = null;
            stop(previous);
            try {
                running = start(wanted);
                settings = wanted;
                LOG.info("{}: reconfigured to {}; transfers of the previous engine were abandoned", LABEL, wanted);
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: refused configuration {}: {}; restarting on {}", LABEL, wanted, e.toString(), settings);
                running = start(settings);
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            jmx.unregister();
            if (watchdog != null) {
                watchdog.shutdownNow();
                watchdog = null;
            }
            Running r = running;
            running = null;
            stop(r);
            context = null;
        }
    }

    /** Checks the configuration. @throws ConfigValues.BadValue naming the first bad value */
    static Settings parse(Map<String, ?> p) throws ConfigValues.BadValue {
        int tid = (int) ConfigValues.wholeNumber(p, "tid", TransferServiceConfig.TID_DEFAULT, 1, 254);
        long timeout = ConfigValues.wholeNumber(p, "timeoutMillis", TransferServiceConfig.TIMEOUT_MILLIS_DEFAULT,
                TransferServiceConfig.TIMEOUT_MILLIS_MIN, TransferServiceConfig.TIMEOUT_MILLIS_MAX);
        int transfers = (int) ConfigValues.wholeNumber(p, "maxTransfers", TransferServiceConfig.MAX_TRANSFERS_DEFAULT, 1,
                TransferServiceConfig.MAX_TRANSFERS_MAX);
        int inline = (int) ConfigValues.wholeNumber(p, "maxInlineLength", TransferServiceConfig.MAX_INLINE_LENGTH_DEFAULT,
                16, TransferServiceConfig.MAX_INLINE_LENGTH_MAX);
        Path table = ConfigValues.optionalDirectory(p, "fileTableDirectory");
        String dma = ConfigValues.choice(p, "dmaEngine", TransferServiceConfig.DMA_ENGINE_DEFAULT, "auto", "shm", "xdma");
        return new Settings(tid, timeout, transfers, inline, table, dma);
    }

    static Settings defaults() {
        return new Settings(TransferServiceConfig.TID_DEFAULT, TransferServiceConfig.TIMEOUT_MILLIS_DEFAULT,
                TransferServiceConfig.MAX_TRANSFERS_DEFAULT, TransferServiceConfig.MAX_INLINE_LENGTH_DEFAULT, null,
                TransferServiceConfig.DMA_ENGINE_DEFAULT);
    }

    private Running start(Settings s) throws IOException {
        DmaEngine dma = chooseDma(s.dmaEngine());
        if (dma == null) {
            throw new IOException("no DMA engine '" + s.dmaEngine() + "' (have " + dmaNames() + ")");
        }
        Path table = s.fileTableDirectory() != null ? s.fileTableDirectory() : DataDirectories.defaultBase(context, "table");
        TransferEngineConfig config = new TransferEngineConfig(s.tid(), s.timeoutMillis(), table, s.maxInlineLength(),
                s.maxTransfers(), TransferEngineConfig.PROGRESS_INTERVAL_MILLIS_DEFAULT,
                TransferEngineConfig.OFFER_TIMEOUT_MILLIS_DEFAULT);
        Worker worker = stack.leastLoadedWorker();
        worker.acquire();
        TransferEngine engine;
        try {
            engine = new TransferEngine(config, worker.center(), registry, dma);
        } catch (IOException | RuntimeException e) {
            worker.release();
            throw e;
        }
        listeners.forEach(engine::addListener);
        MctpEndpoint ep = endpoint;
        MctpTransport transport = ep.newTransport(engine, (t, errno, reason) -> LOG.warn(
                "{}: {} failed (errno {}): {}; in-node terminals still work, reconfigure {} to reconnect", LABEL, ep, errno,
                reason, MctpEndpointConfig.PID));
        String state;
        if (transport == null) {
            state = "no socket (role off)";
        } else {
            engine.serve(transport);
            try {
                transport.start(worker.center());
                state = ep.toString();
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: cannot open {}: {}; serving in-node terminals only", LABEL, ep, e.getMessage());
                transport = null;
                state = ep + " unavailable (" + e.getMessage() + ")";
            }
        }
        LOG.info("{}: tid {}, DMA engine {}, timeout {} ms, {}", LABEL, s.tid(), dma.name(), s.timeoutMillis(), state);
        return new Running(worker, dma, engine, transport, state);
    }

    private void stop(Running r) {
        if (r == null) {
            return;
        }
        for (Terminal t : new ArrayList<>(r.terminals)) {
            t.close();
        }
        if (r.transport != null) {
            r.transport.close();
        }
        r.engine.close();
        try {
            r.engine.closeFuture().get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("{}: the engine did not finish closing within {} ms: {}", LABEL, STOP_WAIT_MILLIS, e.toString());
        }
        r.worker.release();
    }

    private DmaEngine chooseDma(String wanted) {
        List<DmaEngine> engines = dmaEngines;
        DmaEngine shm = null;
        DmaEngine xdma = null;
        for (DmaEngine e : engines) {
            if (!e.isAvailable()) {
                continue;
            }
            if (e.name().equals("shm") && shm == null) {
                shm = e;
            } else if (e.name().equals("xdma") && xdma == null) {
                xdma = e;
            }
        }
        return switch (wanted) {
            case "shm" -> shm;
            case "xdma" -> xdma;
            default -> xdma != null ? xdma : shm;
        };
    }

    private List<String> dmaNames() {
        return dmaEngines.stream().map(e -> e.name() + (e.isAvailable() ? "" : " (unavailable)")).toList();
    }

    // ---- the handler whiteboard ----------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(FileTypeHandler handler, Map<String, Object> properties) {
        Object declared = properties.get(FileTypeHandler.FILE_TYPE_PROPERTY);
        if (!(declared instanceof Integer d) || d != handler.fileType()) {
            LOG.warn("{}: handler {} declares {}={} but serves file type {}; serving {}", LABEL, handler,
                    FileTypeHandler.FILE_TYPE_PROPERTY, declared, handler.fileType(), handler.fileType());
        }
        RevocableHandler w = new RevocableHandler(handler);
        synchronized (wrappers) {
            wrappers.put(handler, w);
            if (!registry.register(w)) {
                LOG.warn("{}: file type {} already has a handler ({}); {} waits until it leaves", LABEL,
                        handler.fileType(), registry.handler(handler.fileType()), handler);
            }
        }
    }

    void removeHandler(FileTypeHandler handler) {
        RevocableHandler w;
        synchronized (wrappers) {
            w = wrappers.remove(handler);
            if (w == null || !registry.unregister(w)) {
                return;
            }
            for (RevocableHandler standby : wrappers.values()) {
                if (standby.fileType() == w.fileType() && registry.register(standby)) {
                    LOG.info("{}: file type {} now served by {}", LABEL, w.fileType(), standby.delegate());
                    break;
                }
            }
        }
        Running r = running;
        if (r == null || !r.center.execute(() -> revoke(w))) {
            revoke(w); // no loop runs transfers any more: nothing can race with this
        }
    }

    private static void revoke(RevocableHandler w) {
        int failed = w.revoke();
        if (failed > 0) {
            LOG.warn("{}: handler {} left with {} transfer(s) in flight; they fail and the host gets ERROR", LABEL,
                    w.delegate(), failed);
        }
    }

    // ---- TransferService -----------------------------------------------------------------------

    @Override
    public List<TransferInfo> transfers() {
        Running r = running;
        return r == null ? List.of() : r.engine.transfers();
    }

    @Override
    public List<HandlerInfo> handlers() {
        List<HandlerInfo> list = new ArrayList<>();
        for (FileTypeHandler h : registry.handlers()) {
            FileTypeHandler shown = h instanceof RevocableHandler w ? w.delegate() : h;
            list.add(new HandlerInfo(shown.fileType(), shown.name(), shown.getClass().getName()));
        }
        list.sort(Comparator.comparingInt(HandlerInfo::fileType));
        return List.copyOf(list);
    }

    @Override
    public TransferCounters counters() {
        Running r = running;
        return r == null ? new TransferCounters(0, 0, 0, 0, 0, 0, 0, 0, 0) : r.engine.counters();
    }

    @Override
    public void addListener(TransferListener listener) {
        if (listeners.add(listener)) {
            Running r = running;
            if (r != null) {
                r.engine.addListener(listener);
            }
        }
    }

    @Override
    public void removeListener(TransferListener listener) {
        listeners.remove(listener);
        Running r = running;
        if (r != null) {
            r.engine.removeListener(listener);
        }
    }

    @Override
    public CompletionStage<Integer> offerFile(int terminusEid, int fileType, long handle, long length) {
        Running r = running;
        if (r == null) {
            return CompletableFuture.failedFuture(new IOException("the PLDM transfer service is not running"));
        }
        return r.engine.offerFile(terminusEid, fileType, handle, length);
    }

    // ---- LocalTerminals ------------------------------------------------------------------------

    @Override
    public LocalTerminal open(long hostMemory, SimulatorBehaviour behaviour, long timeoutMillis) throws IOException {
        Running r = running;
        if (r == null) {
            throw new IOException("the PLDM transfer service is not running");
        }
        if (!(r.dma instanceof ShmDmaEngine shm) || r.ranges == null) {
            throw new IOException("DMA engine " + r.dma.name() + " shares no host-memory window; local terminals need shm");
        }
        long length = HostRanges.roundUp(hostMemory);
        long base = r.ranges.allocate(length);
        if (base < 0) {
            throw new IOException("no free " + length + " B range in " + shm.window() + " (free " + r.ranges.free() + " B)");
        }
        TransferEngine privateEngine = null;
        try {
            int eid = r.allocateEid();
            TransferEngine target = r.engine;
            if (timeoutMillis > 0) {
                privateEngine = new TransferEngine(r.engine.config().withTimeoutMillis(timeoutMillis), r.center, registry,
                        r.dma);
                target = privateEngine;
            }
            long requestTimeout = Math.max(SimulatorConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT, 2 * target.config().timeoutMillis());
            int bmcEid = endpoint.config().localEid();
            SimulatorConfig config = new SimulatorConfig(bmcEid, base, length, behaviour,
                    SimulatorConfig.SLOW_DELAY_MILLIS_DEFAULT, SimulatorConfig.DIE_DELAY_MILLIS_DEFAULT, requestTimeout);
            TerminusSimulator sim = new TerminusSimulator(config, shm.window());
            InJvmMctpTransport[] pair = InJvmMctpTransport.pair(bmcEid, target, eid, sim,
                    MctpConfig.MAX_MESSAGE_LENGTH_DEFAULT, LOCAL_QUEUE_CAPACITY);
            target.serve(pair[0]);
            pair[0].start(r.center);
            Terminal t = new Terminal(r, eid, base, sim, pair[0], target, privateEngine);
            r.terminals.add(t);
            sim.start(pair[1], r.center);
            return t;
        } catch (IOException | RuntimeException e) {
            r.ranges.free(base);
            if (privateEngine != null) {
                privateEngine.close();
            }
            throw e;
        }
    }

    @Override
    public String describe() {
        Running r = running;
        if (r == null) {
            return "not running";
        }
        String window = r.dma instanceof ShmDmaEngine shm ? ", window " + shm.window().path() : "";
        return "tid " + r.engine.config().tid() + ", DMA " + r.dma.name() + window + ", timeout "
                + r.engine.config().timeoutMillis() + " ms, " + r.transportState + ", " + r.terminals.size()
                + " local terminal(s)";
    }

    /** @return the engine running now, or null (tests, status). */
    TransferEngine engine() {
        Running r = running;
        return r == null ? null : r.engine;
    }

    /** @return the wrapper of {@code handler} while it is bound (tests). */
    RevocableHandler wrapper(FileTypeHandler handler) {
        return wrappers.get(handler);
    }

    /** A local terminal; see {@link LocalTerminal}. */
    private final class Terminal implements LocalTerminal {
        final int eid;
        private final Running owner;
        private final long base;
        private final TerminusSimulator sim;
        private final InJvmMctpTransport bmcEnd;
        private final TransferEngine target;
        private final TransferEngine privateEngine;
        private final AtomicBoolean closed = new AtomicBoolean();

        Terminal(Running owner, int eid, long base, TerminusSimulator sim, InJvmMctpTransport bmcEnd,
                TransferEngine target, TransferEngine privateEngine) {
            this.owner = owner;
            this.eid = eid;
            this.base = base;
            this.sim = sim;
            this.bmcEnd = bmcEnd;
            this.target = target;
            this.privateEngine = privateEngine;
        }

        @Override
        public TerminusSimulator simulator() {
            return sim;
        }

        @Override
        public int eid() {
            return eid;
        }

        @Override
        public long timeoutMillis() {
            return target.config().timeoutMillis();
        }

        @Override
        public TransferCounters counters() {
            return target.counters();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            sim.close();
            bmcEnd.close();
            if (privateEngine != null) {
                privateEngine.close();
            }
            bmcEnd.closeFuture().whenComplete((v, t) -> owner.ranges.free(base));
            owner.terminals.remove(this);
        }

        @Override
        public String toString() {
            return "local terminal eid " + eid + " -> " + target;
        }
    }
}
