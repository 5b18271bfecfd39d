package io.ferry.node.demo;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headless demo ({@code ./ferry demo}). When the framework property {@value #DEMO_PROPERTY}
 * is {@code true}, the node waits until the framework has started and the service registry has
 * been quiet for {@value #QUIET_MILLIS} ms (at most {@value #SETTLE_TIMEOUT_MILLIS} ms), runs the
 * tour, prints it to standard output, stops the framework and exits the JVM: 0 only when no step
 * failed, {@value #EXIT_FAILED} when one did, {@value #EXIT_NOT_STOPPED} when the framework did
 * not stop within {@value #STOP_TIMEOUT_MILLIS} ms.
 *
 * <p>How it exits depends on the launcher. The bnd launcher of the executable node jar calls a
 * {@code Callable<Integer>} service registered with {@code main.thread=true} on its main thread,
 * stops the framework when it returns and exits with the value it returned: that path is
 * deterministic, so it is the one used. Should no launcher take that service within
 * {@value #LAUNCHER_GRACE_MILLIS} ms of the registry settling, the node drives the exit itself
 * (stop the framework, wait for it, {@code System.exit}).
 *
 * <p>With the property unset or false the component does nothing.
 */
@Component(service = {}, immediate = true)
public final class HeadlessDemo {
    /** Framework (or system) property that turns the headless demo on. */
    public static final String DEMO_PROPERTY = "ferry.demo";
    /** The bnd launcher runs a {@code Runnable}/{@code Callable<Integer>} with this property on its main thread. */
    static final String MAIN_THREAD_PROPERTY = "main.thread";
    static final long STARTED_TIMEOUT_MILLIS = 60_000;
    static final long QUIET_MILLIS = 1_000;
    static final long SETTLE_TIMEOUT_MILLIS = 30_000;
    static final long LAUNCHER_GRACE_MILLIS = 5_000;
    static final long STOP_TIMEOUT_MILLIS = 20_000;
    static final int EXIT_FAILED = 1;
    static final int EXIT_NOT_STOPPED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(HeadlessDemo.class);

    @Reference
    DemoCommand demo;

    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final RegistryActivity activity = new RegistryActivity();
    private BundleContext context;
    private ServiceRegistration<?> mainThread;
    private Thread fallback;
    private volatile boolean active;

    @Activate
    void activate(BundleContext bundleContext) {
        if (!Boolean.parseBoolean(bundleContext.getProperty(DEMO_PROPERTY))) {
            return;
        }
        context = bundleContext;
        active = true;
        context.addServiceListener(activity);
        context.addBundleListener(activity);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(MAIN_THREAD_PROPERTY, Boolean.TRUE);
        mainThread = context.registerService(Callable.class.getName(), new MainThread(), props);
        fallback = new Thread(this::driveWithoutLauncher, "ferry-demo-headless");
        fallback.setDaemon(true);
        fallback.start();
    }

    @Deactivate
    void deactivate() {
        if (context == null) {
            return;
        }
        active = false;
        context.removeServiceListener(activity);
        context.removeBundleListener(activity);
        try {
            mainThread.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered with the bundle
        }
        if (!claimed.get()) {
            fallback.interrupt();
        }
        exitCode.complete(EXIT_FAILED);
    }

    /** The launcher's main thread: runs the tour and returns the exit code; the launcher stops the framework. */
    public final class MainThread implements Callable<Integer> {
        @Override
        public Integer call() {
            if (!claimed.compareAndSet(false, true)) {
                return exitCode.join();
            }
            int code = settleAndRun();
            exitCode.complete(code);
            watchStop();
            return code;
        }
    }

    private void driveWithoutLauncher() {
        try {
            awaitSettled();
            Thread.sleep(LAUNCHER_GRACE_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        if (!active || !claimed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("headless demo: no launcher took the main thread; this node stops itself");
        int code = runTour();
        exitCode.complete(code);
        Bundle system = context.getBundle(0);
        try {
            system.stop();
        } catch (Exception e) {
            LOG.error("headless demo: cannot stop the framework", e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
        while ((system.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) != 0
                && System.nanoTime() < deadline) {
            sleepUninterruptibly(50);
        }
        boolean stopped = (system.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) == 0;
        System.exit(stopped ? code : notStopped());
    }

    private int settleAndRun() {
        try {
            awaitSettled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        }
        return runTour();
    }

    private int runTour() {
        if (!active) {
            return EXIT_FAILED;
        }
        DemoRunner.Report report = demo.runDemo(System.out);
        return report.failed() == 0 ? 0 : EXIT_FAILED;
    }

    /** Waits (bounded) for the framework to be ACTIVE and the registry to be quiet. */
    private void awaitSettled() throws InterruptedException {
        Bundle system = context.getBundle(0);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTED_TIMEOUT_MILLIS);
        while (system.getState() != Bundle.ACTIVE) {
            if (!active) {
                throw new InterruptedException("deactivated");
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("headless demo: the framework did not start within {} ms; running the demo anyway",
                        STARTED_TIMEOUT_MILLIS);
                break;
            }
            Thread.sleep(20);
        }
        if (!activity.awaitQuiet(QUIET_MILLIS, SETTLE_TIMEOUT_MILLIS)) {
            LOG.warn("headless demo: services still changing after {} ms; running the demo anyway",
                    SETTLE_TIMEOUT_MILLIS);
        }
    }

    /** Bounds the launcher's framework stop: if it hangs, the JVM is halted with {@link #EXIT_NOT_STOPPED}. */
    private static void watchStop() {
        Thread watchdog = new Thread(() -> {
            sleepUninterruptibly(STOP_TIMEOUT_MILLIS);
            Runtime.getRuntime().halt(notStopped());
        }, "ferry-demo-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static int notStopped() {
        System.err.println("ferry: the framework did not stop within " + STOP_TIMEOUT_MILLIS + " ms");
        System.err.flush();
        return EXIT_NOT_STOPPED;
    }

    private static void sleepUninterruptibly(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Remembers when the registry or the bundles last changed. Listener methods run on framework threads. */
    static final class RegistryActivity implements ServiceListener, BundleListener {
        private volatile long lastChangeNanos = System.nanoTime();

        @Override
        public void serviceChanged(ServiceEvent event) {
            lastChangeNanos = System.nanoTime();
        }

        @Override
        public void bundleChanged(BundleEvent event) {
            lastChangeNanos = System.nanoTime();
        }

        /** @return true once nothing changed for {@code quietMillis}; false if that took over {@code timeoutMillis} */
        boolean awaitQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
            long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long now = System.nanoTime();
                long since = now - lastChangeNanos;
                if (since >= quiet) {
                    return true;
                }
                if (now - deadline >= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(quiet - since, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }
}
