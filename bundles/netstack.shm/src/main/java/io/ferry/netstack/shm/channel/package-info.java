/**
 * Stream channels of the shared-memory stack (TCP-like, full duplex): the channel layout in shared
 * memory ({@link io.ferry.netstack.shm.channel.StreamChannelDescriptor}: a header with each side's
 * half-close and close flags, then one stream ring per direction), the end each side drives
 * ({@link io.ferry.netstack.shm.channel.StreamChannelEnd}: non-blocking and timed reads and
 * writes, {@code -EAGAIN}, end of stream and half-close, pollable eventfds, OpenPerf's rule of
 * writing an eventfd only for an idle peer, an optional busy-poll mode) and an in-process factory
 * for both ends ({@link io.ferry.netstack.shm.channel.StreamChannelPair}).
 *
 * <p><b>Threading:</b> each end of a channel is used by one thread at a time; the two ends are
 * independent. Failures are negative errno return codes, never exceptions on the I/O path. Uses
 * the ring core ({@code io.ferry.netstack.shm.ring}) and {@code io.ferry.unix} (eventfds, shared
 * memory), no OSGi type, so the plain-JVM client library can use it. Private to the bundle.
 */
package io.ferry.netstack.shm.channel;
