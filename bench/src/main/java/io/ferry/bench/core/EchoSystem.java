package io.ferry.bench.core;

/**
 * An echo server plus a ping-pong client, one event-loop thread each, as one implementation
 * (Ferry on a driver, or Netty) sets them up.
 *
 * <p><b>Threading:</b> {@link #start}, {@link #runOnClient} and {@link #close} are called by the
 * harness thread; {@link #start} and {@link #close} wait bounded times. {@link #close} releases
 * every thread and socket, also after a failed start.
 */
interface EchoSystem extends AutoCloseable {
    /** @return a short label for progress lines, such as {@code "ferry/epoll"}. */
    String label();

    /**
     * Starts the server and the client loop and opens {@code connections} connections. Each one
     * reports to {@code recorder} once connected ({@link EchoRecorder#connected}) and, whenever
     * the recorder lets it, sends one {@code messageSize}-byte message, waits for the whole echo,
     * records the round trip and sends the next.
     *
     * @throws Exception if the loops cannot start or a connection fails to connect in time
     */
    void start(int messageSize, int connections, EchoRecorder recorder) throws Exception;

    /** Runs {@code task} on the client loop thread. @return false if the loop no longer runs */
    boolean runOnClient(Runnable task);

    @Override
    void close();
}
