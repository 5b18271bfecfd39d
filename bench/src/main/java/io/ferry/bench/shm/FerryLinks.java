package io.ferry.bench.shm;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmListener;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.server.ShmControlServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Ferry side of the suite, set up as a deployment would be: an shm server
 * ({@link ShmControlServer} on its own epoll event loop, as the node runs it) in this JVM, and two
 * client processes of it — this JVM and the child — using the plain-JVM client library. This
 * process listens on two names, the child connects to each, and each connection is a channel of
 * its own (a sealed memfd with two 128 KiB rings, four eventfds) shared by the two client
 * processes: the server handles only the control messages, the bytes go from process to process.
 * One connection is driven in blocking mode, the other in busy-poll mode.
 *
 * <p>Harness thread only; {@link #close()} stops everything it started.
 */
final class FerryLinks implements AutoCloseable {
    static final int RING_CAPACITY = 128 << 10;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final EventLoopWorker worker;
    private final ShmControlServer server;
    private final ShmClient client;
    private final Path socketPath;
    private FerryLink blocking;
    private FerryLink busyPoll;

    private FerryLinks(EventLoopWorker worker, ShmControlServer server, ShmClient client, Path socketPath) {
        this.worker = worker;
        this.server = server;
        this.client = client;
        this.socketPath = socketPath;
    }

    FerryLink blocking() {
        return blocking;
    }

    FerryLink busyPoll() {
        return busyPoll;
    }

    /** @return how the channels were set up, for the progress output. */
    String description() {
        return "ferry: shm server in the harness JVM at " + socketPath + ", both JVMs clients of it, "
                + (RING_CAPACITY >> 10) + " KiB rings";
    }

    /** Starts the server under {@code scratch}, connects this process and the child, opens both connections. */
    static FerryLinks open(ChildProcess child, Path scratch) throws IOException, InterruptedException {
        EventLoopWorker worker = new EventLoopWorker(0, "bench-shm-server", new EpollDriverFactory().create());
        worker.start();
        ShmControlServer server = null;
        ShmClient client = null;
        try {
            Path socketPath = scratch.resolve("ferry").resolve("shm.sock");
            server = startServer(worker, ShmControlServer.Config.defaults(socketPath).withRingCapacity(RING_CAPACITY));
            client = ShmClient.connect(socketPath, TIMEOUT_NANOS);
            FerryLinks links = new FerryLinks(worker, server, client, socketPath);
            try {
                links.blocking = new FerryLink("shm-block", "ferry shm blocking", links.open(child, "shm-block", false), false);
                links.busyPoll = new FerryLink("shm-busy", "ferry shm busy-poll", links.open(child, "shm-busy", true), true);
            } catch (IOException | InterruptedException | RuntimeException e) {
                links.close();
                throw e;
            }
            return links;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
            worker.stop(5_000);
            throw e;
        }
    }

    private static ShmControlServer startServer(EventLoopWorker worker, ShmControlServer.Config config)
            throws IOException, InterruptedException {
        CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                f.complete(ShmControlServer.start(worker.center(), config));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the shm server did not start: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the shm server did not start in 10 s", e);
        }
    }

    /** Listens on {@code name}, has the child connect to it, accepts. */
    private ShmSocket open(ChildProcess child, String name, boolean busy) throws IOException, InterruptedException {
        try (ShmListener listener = client.listen(name)) {
            child.command("ferry " + name + " " + socketPath + " " + name + " " + (busy ? "busy" : "blocking"));
            ShmSocket s = listener.accept(TIMEOUT_NANOS);
            if (s == null) {
                throw new IOException("the child's connection to '" + name + "' did not arrive in 10 s");
            }
            return s;
        }
    }

    @Override
    public void close() {
        if (blocking != null) {
            blocking.close();
        }
        if (busyPoll != null) {
            busyPoll.close();
        }
        client.close();
        server.close();
        worker.stop(5_000);
    }
}
