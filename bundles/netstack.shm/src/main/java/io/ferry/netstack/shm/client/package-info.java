/**
 * The plain-JVM client library of the shm protocol (exported, version 1.0.0):
 * {@link io.ferry.netstack.shm.client.ShmClient} connects to the node's server and runs HELLO
 * ({@link io.ferry.netstack.shm.client.ShmClientConnection}), then listens
 * ({@link io.ferry.netstack.shm.client.ShmListener}) and connects, giving
 * {@link io.ferry.netstack.shm.client.ShmSocket}s over shared-memory rings;
 * {@link io.ferry.netstack.shm.client.ShmAddress} is also the address type of the node-side
 * {@code shm} NetworkStack. No OSGi type: runs with this jar, io.ferry.api, io.ferry.unix and JNA
 * on a class path. Threading: ShmClient and ShmListener from any thread; each ShmSocket from one
 * thread at a time.
 */
@Export
@Version("1.1.0")
package io.ferry.netstack.shm.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
