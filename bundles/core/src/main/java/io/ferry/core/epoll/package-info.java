/**
 * The Linux {@code epoll} {@link io.ferry.api.event.EventDriver}
 * ({@link io.ferry.core.epoll.EpollDriver}) and its OSGi factory service
 * ({@link io.ferry.core.epoll.EpollDriverFactory}, {@code ferry.driver=epoll}). It waits on raw
 * file descriptors through JNA direct calls (see {@link io.ferry.core.jna}). Private to the core
 * bundle.
 */
package io.ferry.core.epoll;
