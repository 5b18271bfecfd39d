package io.ferry.core.selftest;

import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.SocketOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An end-to-end echo check of a {@link NetworkStack}: an {@link EchoServer} on
 * {@code 127.0.0.1:0} and an {@link EchoClient} run per message size, one after the other, every
 * byte verified; the server is closed afterwards whatever happened.
 *
 * <p><b>Threading:</b> {@link #run} may be called from any thread and returns at once; the stages
 * complete on the stack's event-loop threads.
 */
public final class EchoSelfTest {
    /** Message sizes checked by the demo: a small message and a 4 KiB one. */
    public static final int[] DEMO_SIZES = {64, 4096};

    private EchoSelfTest() {
    }

    /**
     * @param sizes message sizes, each run as its own client pass
     * @return a stage completed with a summary of every pass, or exceptionally with the first failure
     */
    public static CompletableFuture<String> run(NetworkStack stack, int connections, int messagesPerConnection,
            int[] sizes, long timeoutMillis) {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return EchoServer.start(stack, any, SocketOptions.DEFAULT).thenCompose(server -> {
            List<EchoClient.Result> results = new ArrayList<>();
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int size : sizes) {
                EchoClient.Settings settings = new EchoClient.Settings(connections, size, messagesPerConnection,
                        timeoutMillis, SocketOptions.DEFAULT);
                chain = chain.thenCompose(ignored -> EchoClient.run(stack, server.localAddress(), settings))
                        .thenAccept(results::add);
            }
            return chain.whenComplete((ok, failure) -> server.close())
                    .thenApply(ok -> summarize(stack, results));
        });
    }

    private static String summarize(NetworkStack stack, List<EchoClient.Result> results) {
        StringBuilder sb = new StringBuilder("driver ").append(stack.driverName());
        for (EchoClient.Result r : results) {
            sb.append("; ").append(r.summary());
        }
        return sb.append("; every byte verified").toString();
    }
}
