/**
 * The node side of the {@code shm} stack: {@link io.ferry.netstack.shm.stack.ShmNetworkStack}
 * (a {@link io.ferry.api.net.NetworkStack} over shared-memory channels, with its own workers and
 * the control server) and {@link io.ferry.netstack.shm.stack.ShmStackComponent} (the DS component
 * registering it with {@code ferry.stack=shm}, PID {@code io.ferry.netstack.shm}). Sockets are
 * used on their worker's loop; the stack's methods from any thread.
 */
package io.ferry.netstack.shm.stack;
