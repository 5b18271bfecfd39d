/**
 * Datagram channels of the shared-memory stack (UDP-like, PROTOCOL.md section 8): datagrams
 * framed as whole records ({@link io.ferry.netstack.shm.dgram.DatagramRecordDescriptor}: a tag,
 * the address length, the payload length, the address, the payload) in the byte rings of a
 * stream channel, one record per datagram, published in one index store and never split;
 * {@link io.ferry.netstack.shm.dgram.DatagramEndpoint} sends and receives them over one
 * {@link io.ferry.netstack.shm.channel.StreamChannelEnd}, bounds-checking every descriptor it
 * reads. Private to the bundle; depends on java.base and the channel package only, so the client
 * library can use it outside OSGi.
 */
package io.ferry.netstack.shm.dgram;
