/**
 * The network stack contracts (Ceph's {@code NetworkStack}, {@code ServerSocket},
 * {@code ConnectedSocket}): a pool of {@link io.ferry.api.event.Worker workers} plus
 * non-blocking listen, accept and connect. Stacks are OSGi services told apart by the
 * {@value io.ferry.api.net.NetworkStack#TYPE_PROPERTY} property ({@code posix}, {@code shm}).
 *
 * <p>I/O methods return counts or negative {@link io.ferry.api.net.Errno errno} codes, never
 * throw for flow control; sockets are used only from the event-loop thread of the worker they
 * were assigned to.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.ferry.api.net;
