/**
 * Private implementation of io.ferry.unix: libc through JNA direct mapping ({@link
 * io.ferry.unix.internal.LibC}, {@link io.ferry.unix.internal.Memfd}), struct layouts
 * ({@link io.ferry.unix.internal.MsgHdrDescriptor}), direct-buffer addresses and per-thread
 * scratch memory. Not exported; other bundles use io.ferry.unix.
 */
package io.ferry.unix.internal;
