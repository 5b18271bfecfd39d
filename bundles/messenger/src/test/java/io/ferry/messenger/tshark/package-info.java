/** Wireshark's Ceph dissector (tshark) decoding a recorded Ferry-to-Ferry msgr v1 session. */
package io.ferry.messenger.tshark;
