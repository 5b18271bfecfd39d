package io.ferry.messenger.demo;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.net.NetworkStack;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The demo step {@code "messenger: ceph-mon ping"}: when a ceph-mon listens at
 * {@value MonPing#DEFAULT_MON} (or at the framework property {@value #MON_PROPERTY}), a msgr v1
 * handshake, a KEEPALIVE2 round trip and an MPing answered with the monitor's health. With no
 * monitor listening there, the row passes with a note saying the step was skipped (the demo runner
 * has PASS and FAIL rows only), as the tour must pass on a machine without Ceph.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once: the reachability probe (a TCP connect
 * bounded by {@value #PROBE_TIMEOUT_MILLIS} ms) runs on a short-lived thread of its own.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + CephMonDemoStep.ORDER)
public final class CephMonDemoStep implements DemoStep {
    public static final int ORDER = 210;
    /** Framework property: the monitor to ping ({@code v1:host:port[/nonce]}). */
    public static final String MON_PROPERTY = "ferry.demo.ceph.mon";
    static final int PROBE_TIMEOUT_MILLIS = 500;
    static final long PING_TIMEOUT_MILLIS = 8_000;

    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=posix)")
    private NetworkStack stack;

    private String mon = MonPing.DEFAULT_MON;

    @Activate
    void activate(BundleContext context) {
        String configured = context.getProperty(MON_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            mon = configured.trim();
        }
    }

    @Override
    public String name() {
        return "messenger: ceph-mon ping";
    }

    @Override
    public long timeoutMillis() {
        return PROBE_TIMEOUT_MILLIS + PING_TIMEOUT_MILLIS + 2_000;
    }

    @Override
    public CompletionStage<String> run() {
        EntityAddress peer;
        try {
            peer = MonPing.parseAddress(mon);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(MON_PROPERTY + "=" + mon + ": " + e.getMessage()));
        }
        Executor probeThread = r -> {
            Thread t = new Thread(r, "ferry-demo-mon-probe");
            t.setDaemon(true);
            t.start();
        };
        return CompletableFuture.supplyAsync(() -> listening(peer), probeThread).thenCompose(up -> {
            if (!up) {
                return CompletableFuture.completedFuture("SKIP: no ceph-mon listening at " + peer.address().getAddress().getHostAddress() + ":"
                        + peer.address().getPort()
                        + " (start one as in PROTOCOLS.md section 1, or set " + MON_PROPERTY + ")");
            }
            return MonPing.run(stack, peer, PING_TIMEOUT_MILLIS).thenApply(MonPing.Result::toString);
        });
    }

    private static boolean listening(EntityAddress peer) {
        try (Socket s = new Socket()) {
            s.connect(peer.address(), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
