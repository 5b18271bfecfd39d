/**
 * The {@code shm} suite: Ferry's shared-memory stack (blocking and busy-poll modes) between two
 * JVM processes against kernel TCP loopback, a Unix domain stream socket and Aeron IPC — one-way
 * streaming throughput and ping-pong round trips at 64 B and 4 KiB. The harness process drives
 * every measurement; a child JVM ({@link io.ferry.bench.shm.BenchChild}) is the far end of every
 * link. See {@code bench/README.md} for what each row means.
 */
package io.ferry.bench.shm;
