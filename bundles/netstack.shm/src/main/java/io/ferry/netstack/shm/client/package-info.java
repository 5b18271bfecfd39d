/**
 * The plain-JVM client side of the shm protocol: {@link io.ferry.netstack.shm.client.ShmClientConnection}
 * connects to the server's socket, runs HELLO with bounded blocking waits and maps the segment it
 * receives. No OSGi type; private to the bundle for now.
 */
package io.ferry.netstack.shm.client;
