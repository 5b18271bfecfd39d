/**
 * The {@code core} suite: the posix stack's echo throughput and round-trip latency against Netty
 * 4.1's native epoll transport doing the same echo, and the EventCenter's external-event dispatch
 * against Netty's {@code EpollEventLoop.execute()}. See {@code bench/README.md} for what each row
 * means and why the comparison is fair.
 */
package io.ferry.bench.core;
