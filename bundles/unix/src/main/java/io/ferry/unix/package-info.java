/**
 * Ferry's shared native-I/O API for Linux, used by any bundle that needs what the JDK cannot
 * do: {@code AF_UNIX SOCK_SEQPACKET} sockets on paths and abstract names
 * ({@link io.ferry.unix.UnixSeqpacketServer}, {@link io.ferry.unix.UnixSeqpacketSocket}) with
 * descriptor passing ({@code SCM_RIGHTS}) and peer credentials ({@code SO_PEERCRED}),
 * {@link io.ferry.unix.EventFd eventfds}, and {@link io.ferry.unix.SharedMemory shared memory}
 * (memfd + mmap). netstack.shm (its HELLO handshake) and pldm.transfer (mctp-demux) build on it.
 *
 * <p><b>Non-blocking and allocation-free per message.</b> Every descriptor is created
 * non-blocking and close-on-exec, and implements {@link io.ferry.api.event.Pollable} so that an
 * {@link io.ferry.api.event.EventDriver} can wait on it. Per-message methods (send, receive,
 * signal, drain) never block, never throw for I/O failures and allocate nothing: they return a
 * count or a negative errno ({@link io.ferry.api.net.Errno}), {@code -EAGAIN} meaning "poll and
 * retry". Set-up methods (create, bind, connect, map) throw {@link io.ferry.unix.UnixException}. The
 * one blocking call is the bounded wait ({@link io.ferry.unix.Unix#poll(int, int, long)},
 * {@link io.ferry.unix.PollSet}): {@code ppoll(2)} with a nanosecond timeout, allocation-free, for
 * code that wants to sleep on a descriptor without an event driver.
 *
 * <p><b>Threads.</b> Any thread may call any method; the usual owner is the event-loop thread
 * that polls the descriptor. Native calls use per-thread scratch memory, so concurrent calls on
 * different threads do not interfere; the exception is a {@link io.ferry.unix.PollSet}, used by
 * one thread at a time. {@code close()} is idempotent and thread-safe (exactly one close of the
 * descriptor), but must not race with I/O, a wait or memory access on other threads; deregister
 * a descriptor from its event driver before closing it.
 *
 * <p><b>Availability.</b> Linux on x86-64 or aarch64 with JNA; elsewhere
 * {@link io.ferry.unix.Unix#isAvailable()} is false and the factories throw.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.ferry.unix;
