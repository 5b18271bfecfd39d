/**
 * The {@code posix} network stack: kernel TCP over a pool of event-loop workers. Sockets come from
 * a {@link io.ferry.core.posix.SocketProvider} matched to the event driver: raw descriptors through
 * JNA for {@code epoll}, JDK channels for the portable {@code nio} driver.
 */
package io.ferry.core.posix;
