/**
 * The event loop contracts: {@link io.ferry.api.event.EventDriver pollers},
 * {@link io.ferry.api.event.EventCenter event centers} with file, time and external events, and
 * the {@link io.ferry.api.event.Worker worker threads} that run them.
 *
 * <p>Threading model, as in Ceph's AsyncMessenger: one {@code Worker} thread runs one
 * {@code EventCenter}; everything registered with a center runs on that thread. Work crosses
 * threads only as external events ({@link io.ferry.api.event.EventCenter#execute(Runnable)}).
 *
 * <p>A bundle that needs event loops of its own asks the
 * {@link io.ferry.api.event.WorkerPoolFactory} service for a {@link io.ferry.api.event.WorkerPool}
 * (1.1) rather than copying an implementation.
 *
 * <p>1.2 adds {@link io.ferry.api.event.EventMask#EDGE_TRIGGERED}, an opt-in interest modifier.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.ferry.api.event;
