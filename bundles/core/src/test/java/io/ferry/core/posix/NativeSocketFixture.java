package io.ferry.core.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.epoll.EpollDriver;
import io.ferry.core.event.EventLoopWorker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Two epoll event-loop workers, a tracker and the native provider, with helpers to run socket
 * calls on a socket's own loop (as the threading contract requires) from a test thread.
 */
final class NativeSocketFixture implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 10;

    final EventLoopWorker first;
    final EventLoopWorker second;
    final SocketTracker tracker = new SocketTracker();
    final NativeSocketProvider provider = new NativeSocketProvider();

    /** A connected pair and the listener it came from. */
    record Pair(ServerSocket listener, ConnectedSocket client, ConnectedSocket server) {
    }

    NativeSocketFixture() throws IOException {
        first = startWorker(0);
        second = startWorker(1);
    }

    private static EventLoopWorker startWorker(int id) throws IOException {
        EventLoopWorker w = new EventLoopWorker(id, "native-test-" + id, new EpollDriver());
        w.start();
        return w;
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Runs {@code task} on {@code worker}'s loop and returns its result. */
    static <T> T onLoop(EventLoopWorker worker, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = worker.center().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        if (!queued) {
            throw new IllegalStateException(worker + " is shut down");
        }
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    /** Runs {@code probe} on the loop until {@code done} accepts its result; fails after the timeout. */
    static <T> T await(EventLoopWorker worker, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            T value = onLoop(worker, probe);
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("still " + value + " after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(1);
        }
    }

    /** Listens on loopback with {@code owner}, connects to it, accepts, and waits for both ends. */
    Pair connectedPair(EventLoopWorker owner) throws Exception {
        return connectedPair(owner, SocketOptions.DEFAULT);
    }

    /** As {@link #connectedPair(EventLoopWorker)}, with {@code options} on all three sockets. */
    Pair connectedPair(EventLoopWorker owner, SocketOptions options) throws Exception {
        ServerSocket listener = provider.listen(loopback(), options, owner, tracker);
        ConnectedSocket client = provider.connect((InetSocketAddress) listener.localAddress(), options, owner,
                tracker);
        ConnectedSocket server = await(owner, () -> listener.accept(options, owner), s -> s != null);
        assertEquals(1, (int) await(owner, client::isConnected, c -> c != 0));
        assertNotNull(server);
        return new Pair(listener, client, server);
    }

    /** @return the number of descriptors this process has open. */
    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /**
     * @return the sockets and anonymous-inode descriptors (epoll, eventfd, timerfd) this process
     *     has open, as {@code fd -> target} entries of {@code /proc/self/fd}: what a stack opens.
     *     Files the JVM opens and closes meanwhile (jars, temporary files) are not counted, so a
     *     before/after comparison is not thrown off by them.
     */
    static Set<String> openSocketsAndAnonInodes() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                        out.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // gone between the listing and the read (the listing's own descriptor, for one)
                }
            }
        }
        return out;
    }

    /** Waits until every socket of the tracker is closed (closes run on the loops). */
    void awaitAllClosed() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (tracker.size() != 0) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(tracker.size() + " sockets still open");
            }
            Thread.sleep(1);
        }
    }

    @Override
    public void close() {
        tracker.closeRemaining();
        first.stop(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        second.stop(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    }
}
