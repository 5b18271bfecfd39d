package io.ferry.core.posix;

/**
 * The posix stack's counters over JMX, registered as
 * {@value PosixStackMBeanRegistration#OBJECT_NAME}. Values are read live from the running stack
 * (after a reconfiguration, from the new one). Any thread; reads are racy snapshots.
 */
public interface PosixStackMXBean {
    /** @return the event driver the workers poll with. */
    String getDriver();

    /** @return the socket provider ({@code native} or {@code nio}). */
    String getSocketProvider();

    /** @return how the data path's system calls are made: {@code jni}, {@code jna (why)} or {@code jdk}. */
    String getNativeCalls();

    /** @return the number of worker threads. */
    int getWorkerCount();

    /** @return open listeners and connections. */
    int getOpenSockets();

    /** @return each worker's assigned sockets, by worker id. */
    int[] getWorkerLoads();

    /** @return each worker's processed events, by worker id. */
    long[] getWorkerEventsProcessed();

    /** @return handler exceptions caught by the workers' event centers, summed. */
    long getHandlerFailures();

    /** @return how long a worker may poll before it sleeps (configuration {@code pollMicros}), 0 for not at all. */
    long getPollBeforeSleepMicros();

    /** @return polls before a sleep that met an event (the worker did not sleep), summed over the workers. */
    long getPollsCaught();

    /** @return polls before a sleep that met none (the worker slept after polling), summed over the workers. */
    long getPollsMissed();
}
