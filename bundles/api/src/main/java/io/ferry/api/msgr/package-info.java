/**
 * The messenger contracts (Ceph's {@code Messenger}, {@code Connection}, {@code Dispatcher},
 * {@code Message}, {@code Policy}, {@code entity_name_t}, {@code entity_addr_t}): connection-oriented
 * message passing with priorities, per-peer policies (lossy or lossless, client or server) and
 * dispatchers that receive messages by type.
 *
 * <p>Threading: a {@link io.ferry.api.msgr.Messenger} and its {@link io.ferry.api.msgr.Connection}s
 * may be called from any thread; dispatchers and listeners are called on the event-loop thread that
 * owns the connection and must not block. Messages received are owned by the dispatcher until it calls
 * {@link io.ferry.api.msgr.Message#release()}, which returns their bytes to the receive throttle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.ferry.api.msgr;
