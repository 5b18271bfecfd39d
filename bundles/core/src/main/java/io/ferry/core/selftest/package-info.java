/**
 * Self-tests the node runs in its demo tour ({@code ./ferry demo}) and the benchmarks reuse: an
 * asynchronous echo server and client written only against the {@code io.ferry.api} contracts
 * ({@link io.ferry.api.net.NetworkStack}, {@link io.ferry.api.event.EventCenter} file, time and
 * external events, {@link io.ferry.api.buffer.BufferList}), a probe that proves an
 * {@link io.ferry.api.event.EventDriverFactory}'s drivers deliver every kind of event, and the
 * {@link io.ferry.api.demo.DemoStep} components that present both.
 *
 * <p>Every wait here is bounded, and every socket, driver and thread is released on success,
 * error and timeout alike. Private to the core bundle.
 */
package io.ferry.core.selftest;
