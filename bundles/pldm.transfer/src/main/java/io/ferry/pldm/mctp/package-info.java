/**
 * MCTP transports for PLDM messages: the mctp-demux framing over an abstract {@code AF_UNIX}
 * {@code SOCK_SEQPACKET} socket in both roles ({@link io.ferry.pldm.mctp.MctpDemuxServer}: Ferry
 * binds {@code "\0mctp-mux"} and serves libpldm-style requesters directly;
 * {@link io.ferry.pldm.mctp.MctpDemuxClient}: Ferry is a client of an existing demux daemon), and
 * an in-JVM pair ({@link io.ferry.pldm.mctp.InJvmMctpTransport}) for tests and the simulator.
 *
 * <p><b>Framing</b> ({@link io.ferry.pldm.mctp.MctpFraming}): a client first sends one byte, the
 * MCTP message type it wants (1 = PLDM); every later datagram is {@code [u8 eid][u8 type][message]},
 * the eid being the destination when a client sends and the source when it receives.
 *
 * <p><b>Threading contract.</b> Every transport is owned by one
 * {@link io.ferry.api.event.EventCenter}, given to {@code start}. All socket I/O, every
 * {@link io.ferry.pldm.mctp.MctpReceiver} and {@link io.ferry.pldm.mctp.MctpFaultListener} call,
 * and every {@link io.ferry.pldm.mctp.MctpLink#send} happen on that center's thread; {@code send}
 * from another thread returns {@link io.ferry.pldm.mctp.MctpTransport#WRONG_THREAD} and does
 * nothing. {@code start}, {@code close}, {@code closeFuture} and the counters may be used from any
 * thread. Nothing blocks: sockets are non-blocking, back-pressure is a bounded per-peer queue
 * flushed when the socket becomes writable, and a full queue is the return code
 * {@link io.ferry.pldm.mctp.MctpTransport#BACK_PRESSURED}, never an exception or a wait.
 *
 * <p><b>Errors and shutdown.</b> Bad input from a peer (short packets, wrong type bytes, a client
 * registering a type other than PLDM) is dropped and counted and, past a limit, closes only that
 * peer. A peer that hangs up is released at once (descriptor, file event, queued messages). When
 * the owning center shuts down, each transport releases everything from its file event's final
 * firing. Private to the bundle.
 */
package io.ferry.pldm.mctp;
