/**
 * The messenger's part of the node tour ({@code ./ferry demo}) and the tools behind
 * {@code msgr:ping} and {@code msgr:bench}: two messengers exchanging messages over a network
 * stack ({@link io.ferry.messenger.demo.LoopbackExchange}) and a KEEPALIVE2 + MPing round trip to
 * any msgr v1 peer, such as a ceph-mon ({@link io.ferry.messenger.demo.MonPing}).
 *
 * <p>Threading: the tools start from any thread and return futures completed on event-loop
 * threads; every wait is bounded and every messenger they make is shut down when they complete.
 */
package io.ferry.messenger.demo;
