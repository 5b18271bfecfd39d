/**
 * The portable transport layer over {@code java.nio}: {@link io.ferry.core.nio.NioDriver}, an
 * event driver over a JDK {@link java.nio.channels.Selector} (registered as the {@code nio}
 * {@link io.ferry.api.event.EventDriverFactory} service by
 * {@link io.ferry.core.nio.NioDriverFactory}), and {@link io.ferry.core.nio.NioSocketProvider},
 * the kernel TCP sockets of the {@code posix} stack as non-blocking JDK channels that such a
 * driver can wait on. Private to the core bundle.
 *
 * <p>Threading follows the event loop: a driver and the sockets of a worker are used on that
 * worker's thread; only {@code wakeup()} and {@code close()} come from other threads.
 */
package io.ferry.core.nio;
