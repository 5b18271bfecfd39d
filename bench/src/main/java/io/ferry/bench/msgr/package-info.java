/**
 * The {@code messenger} suite: Ferry's messenger (two messengers over the posix stack,
 * lossless_peer, msgr v1 with crc32c) against Netty 4.1 epoll carrying the same payloads as
 * length-prefixed frames with a crc32c trailer; ping-pong per connection, 64 B and 4 KiB, 1 and 16
 * connections. Runs on the bench runner's thread; every loop and socket is stopped before it returns.
 */
package io.ferry.bench.msgr;
