/** The messenger over the shm stack (bundles/netstack.shm), addressed by IP:port like over TCP. */
package io.ferry.messenger.shm;
