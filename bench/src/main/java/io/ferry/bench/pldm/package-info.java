/**
 * The {@code pldm} benchmark suite: the {@code shm} DMA engine against {@code FileChannel.transferTo}
 * into the same host-memory window, the DMA path against the 4 KiB inline path, and the responder's
 * latency for small requests while transfers are in flight. Runs on the bench runner's thread; every
 * loop, window and file it makes is released before the suite returns.
 */
package io.ferry.bench.pldm;
