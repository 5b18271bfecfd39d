/**
 * The stream ring core of the shared-memory stack: a single-producer single-consumer byte ring
 * laid out in shared memory ({@link io.ferry.netstack.shm.ring.StreamRingDescriptor}), with a
 * producer view ({@link io.ferry.netstack.shm.ring.ByteRingProducer}) and a consumer view
 * ({@link io.ferry.netstack.shm.ring.ByteRingConsumer}) created by
 * {@link io.ferry.netstack.shm.ring.OneToOneByteRing}, and the decisions of OpenPerf's doorbell
 * rule (write the eventfd only when the peer waits and nothing is pending).
 *
 * <p>Depends on {@code java.base} only and holds no OSGi types: the node's server bundle and the
 * plain-JVM client library both use it. The eventfds themselves, mapping the memory and closing a
 * channel whose ring turned corrupt belong to the channel layer above. Private to the bundle.
 */
package io.ferry.netstack.shm.ring;
