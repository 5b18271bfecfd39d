package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorkerPool;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.testkit.EventLoops;
import io.ferry.unix.Unix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A started {@link ShmNetworkStack} per test (two event loops, a control socket in a fresh temporary
 * directory), stopped after it with the checks every stack test wants: the stop completes within 5 s
 * and no socket is left open. Skips the test where the Unix natives are unavailable.
 *
 * <p>Register it as a {@code @RegisterExtension} field; its before-each runs ahead of the test
 * class's own {@code @BeforeEach} methods. JUnit's thread only.
 */
final class RunningShmStack implements BeforeEachCallback, AfterEachCallback {
    private final String name;
    private Path dir;
    private ShmNetworkStack stack;

    /** @param name names the temporary directory and the event-loop threads */
    RunningShmStack(String name) {
        this.name = name;
    }

    /** @return the stack started for the running test */
    ShmNetworkStack stack() {
        return stack;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        dir = Files.createTempDirectory("ferry-" + name);
        stack = new ShmNetworkStack(EventLoopWorkerPool.start(name + "-test", 2, new EpollDriverFactory()),
                ShmControlServer.Config.defaults(dir.resolve("s").resolve("shm.sock")));
        stack.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (stack != null) {
                assertTrue(stack.stop(5_000), "the shm stack stops within 5 s");
                assertEquals(0, stack.openSockets(), "open sockets after stop");
            }
        } finally {
            stack = null;
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("s"));
                Files.deleteIfExists(dir);
                dir = null;
            }
        }
    }

    /**
     * Accepts one connection on {@code listener}'s loop (a readable event that cancels itself
     * after the first accept) and completes with it, or with the accept's failure. Any thread.
     *
     * @param target the worker the accepted socket goes to, or null for the listener's
     * @param bound how long to wait for the event's registration on the loop
     */
    static CompletableFuture<ConnectedSocket> acceptOne(ServerSocket listener, SocketOptions options, Worker target,
            Duration bound) throws Exception {
        CompletableFuture<ConnectedSocket> accepted = new CompletableFuture<>();
        EventCenter loop = listener.worker().center();
        EventLoops.runAndWait(loop, () -> {
            FileEvent[] e = new FileEvent[1];
            e[0] = loop.createFileEvent(listener, EventMask.READABLE, m -> {
                try {
                    ConnectedSocket s = listener.accept(options, target);
                    if (s != null) {
                        e[0].cancel();
                        accepted.complete(s);
                    }
                } catch (IOException x) {
                    accepted.completeExceptionally(x);
                }
            });
        }, bound);
        return accepted;
    }
}
