package io.ferry.api.event;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One thread running one {@link EventCenter} (Ceph's {@code Worker}). A
 * {@link io.ferry.api.net.NetworkStack} owns a pool of workers and hands each new connection to
 * the least loaded one.
 *
 * <p>Any thread may call these methods.
 */
@ProviderType
public interface Worker {
    /** @return the worker's index in its stack's pool, from 0. */
    int id();

    /** @return the event center this worker runs. */
    EventCenter center();

    /** @return the number of connections and listeners currently assigned to this worker. */
    int load();

    /** Counts one more assignment; the stack calls this when it hands a socket to the worker. */
    void acquire();

    /** Counts one assignment less; called once when a socket assigned to the worker closes. */
    void release();

    /** @return the number of events this worker has processed, for status and benchmarks. */
    long eventsProcessed();

    /** @return true while the worker thread runs. */
    boolean isRunning();
}
