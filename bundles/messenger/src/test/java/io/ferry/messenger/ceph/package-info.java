/** Tests against a real Ceph monitor (ceph-mon from Debian's packages) on loopback. */
package io.ferry.messenger.ceph;
