package io.ferry.bench.msgr;

/**
 * A server that echoes and a client with {@code connections} ping-pong connections, one event-loop
 * thread each, as one implementation sets them up. {@link #start} and {@link #close} are called by
 * the harness thread and wait bounded times; {@link #close} frees everything, also after a failed start.
 */
interface PingPongSystem extends AutoCloseable {
    String label();

    /** Starts both sides and connects; connections report to {@code recorder} once ready. */
    void start(int messageSize, int connections, PingPongRecorder recorder) throws Exception;

    /** Runs {@code task} on the client loop. @return false if that loop no longer runs */
    boolean runOnClient(Runnable task);

    @Override
    void close();
}
