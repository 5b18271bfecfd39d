/**
 * The control protocol of the shared-memory stack, as specified in the bundle's
 * {@code PROTOCOL.md}: the messages exchanged over the {@code AF_UNIX SOCK_SEQPACKET} socket
 * (HELLO, HELLO_REPLY, LISTEN, LISTEN_REPLY, CONNECT, ACCEPT, CHANNEL_READY, CLOSE, ERROR) laid out
 * by {@link io.ferry.netstack.shm.control.ControlMessageDescriptor}, written by
 * {@link io.ferry.netstack.shm.control.ControlMessageEncoder} and validated and read by the
 * flyweight {@link io.ferry.netstack.shm.control.ControlMessageDecoder} (negative result codes
 * for short, long, unknown or inconsistent messages, never an exception, never a read outside the
 * message), and the admission rule for peers ({@link io.ferry.netstack.shm.control.PeerPolicy}:
 * same uid, or a configured gid, from {@code SO_PEERCRED}).
 *
 * <p>Plain Java ({@code java.base} and the {@code Errno} constants of {@code io.ferry.api.net}),
 * no OSGi type and no socket: the server component and the plain-JVM client library both use it.
 * Private to the bundle.
 */
package io.ferry.netstack.shm.control;
