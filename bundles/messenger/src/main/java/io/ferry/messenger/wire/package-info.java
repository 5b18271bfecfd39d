/**
 * The Ceph msgr v1 wire format: constants (banner, tags, features), crc32c as Ceph computes it,
 * flyweights over little-endian byte buffers for the connect message, the connect reply, the
 * message header and footer, the legacy entity address, and the incremental frame reader of the
 * open state. Private to the bundle. Pure functions and single-thread objects: a reader belongs to
 * the connection's event loop.
 */
package io.ferry.messenger.wire;
