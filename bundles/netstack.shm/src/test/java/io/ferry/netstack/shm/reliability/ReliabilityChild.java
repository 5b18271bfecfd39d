package io.ferry.netstack.shm.reliability;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.UnixException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The other process of the reliability tests (started by {@link ChildJvm}); it reports on
 * standard output, one line per event:
 * <pre>
 * writer SOCKET NAME   connect as a client, connect to NAME, print "connected", then write
 *                      64 KiB blocks forever (the test kills it mid-write)
 * hello SOCKET         connect as a client: print "admitted", or "refused ERRNO MESSAGE"
 * server SOCKET        run an shm server at SOCKET, print "ready", then wait to be killed
 * </pre>
 * Every wait is bounded; the process exits by itself after {@link #LIFETIME_MILLIS} at the latest.
 */
public final class ReliabilityChild {
    static final long LIFETIME_MILLIS = 120_000;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ReliabilityChild() {
    }

    public static void main(String[] args) throws Exception {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(LIFETIME_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("lifetime over");
            Runtime.getRuntime().halt(4);
        }, "lifetime");
        reaper.setDaemon(true);
        reaper.start();
        Path socket = Path.of(args[1]);
        switch (args[0]) {
            case "writer" -> writer(socket, args[2]);
            case "hello" -> hello(socket);
            case "server" -> server(socket);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void writer(Path socketPath, String name) throws Exception {
        ShmClient client = ShmClient.connect(socketPath, TIMEOUT_NANOS);
        ShmSocket socket = client.connect(name);
        socket.setTimeoutNanos(TIMEOUT_NANOS);
        System.out.println("connected");
        ByteBuffer block = ByteBuffer.allocateDirect(64 << 10);
        for (int i = 0; i < block.capacity(); i++) {
            block.put(i, (byte) i);
        }
        while (true) {
            block.clear();
            int n = socket.write(block);
            if (n < 0) {
                System.out.println("write-error " + n);
                System.exit(3);
            }
        }
    }

    private static void hello(Path socketPath) {
        try (ShmClient client = ShmClient.connect(socketPath, TIMEOUT_NANOS)) {
            System.out.println("admitted " + client.serverPid());
        } catch (UnixException e) {
            System.out.println("refused " + e.errno() + " " + e.getMessage());
        }
    }

    private static void server(Path socketPath) throws Exception {
        EventLoopWorker worker = new EventLoopWorker(0, "child-shm-server", new EpollDriverFactory().create());
        worker.start();
        CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                f.complete(ShmControlServer.start(worker.center(), ShmControlServer.Config.defaults(socketPath)));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        f.get(10, TimeUnit.SECONDS);
        System.out.println("ready");
        Thread.sleep(LIFETIME_MILLIS);
    }
}
