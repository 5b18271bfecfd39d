/**
 * The messenger implementation (Ceph's AsyncMessenger): {@link io.ferry.messenger.internal.AsyncMessenger},
 * its {@link io.ferry.messenger.internal.Processor}s that listen and accept, and
 * {@link io.ferry.messenger.internal.AsyncConnection}, the msgr v1 state machine that runs on one
 * worker's event loop. Private to the bundle.
 */
package io.ferry.messenger.internal;
