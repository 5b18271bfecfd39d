/**
 * The shm control server ({@link io.ferry.netstack.shm.server.ShmControlServer}): the
 * {@code AF_UNIX SOCK_SEQPACKET} listener of PROTOCOL.md that admits peers by {@code SO_PEERCRED},
 * runs the HELLO handshake on one event center and hands each client its sealed memfd segment.
 * Plain Java, no OSGi type; private to the bundle.
 */
package io.ferry.netstack.shm.server;
