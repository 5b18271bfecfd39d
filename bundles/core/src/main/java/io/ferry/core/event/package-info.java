/**
 * The event loop: {@link io.ferry.core.event.DefaultEventCenter} (file, time and external
 * events over one {@link io.ferry.api.event.EventDriver}) and
 * {@link io.ferry.core.event.EventLoopWorker}, the thread that runs one center. Private to the
 * core bundle; other bundles see only the API interfaces.
 */
package io.ferry.core.event;
