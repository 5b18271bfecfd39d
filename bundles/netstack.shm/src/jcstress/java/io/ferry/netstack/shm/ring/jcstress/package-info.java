/**
 * jcstress tests of the ring's memory ordering (the doorbell handshakes and the publication of
 * bytes), compiled and run only by the {@code jcstress} Maven profile of this module:
 * {@code mvn -o -Pjcstress -pl bundles/netstack.shm verify}. Not part of the bundle.
 */
package io.ferry.netstack.shm.ring.jcstress;
