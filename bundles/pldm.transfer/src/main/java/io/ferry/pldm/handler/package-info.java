/**
 * File-type handlers for IBM OEM file I/O (PLDM type 0x3F): where the bytes of each file type
 * live on the BMC, which handles and ranges are valid, and what happens after a transfer
 * (store a PEL, stage a LID, complete a dump offload, accept a certificate).
 *
 * <p>The SPI is {@link io.ferry.api.pldm.FileTypeHandler} (exported by io.ferry.api); every handler stores under a
 * configured base directory through {@link io.ferry.pldm.handler.BaseDirectory}, which refuses
 * any handle or name that would escape it ({@code ..}, absolute paths, NUL, symbolic links, overlong
 * or reserved names) with {@code IBM_INVALID_FILE_HANDLE} (0x86) and re-checks the real path after
 * opening. {@link io.ferry.pldm.handler.HandlerRegistry} finds the handler of a file type (unknown
 * type: {@code IBM_INVALID_FILE_TYPE}, 0x89); it becomes the OSGi whiteboard later.
 *
 * <p><b>Threading:</b> handlers are called on an event-loop thread (the thread that owns the
 * transfer) and must not block: file data moves through the returned {@code FileChannel}s with
 * positional reads/writes of bounded size, or is handed by the caller to a bounded executor it
 * supplies. The remaining work a handler does itself is metadata (lstat, open, rename, unlink of
 * one file) and, for certificates, one bounded read of at most the type's maximum size. A handler
 * instance keeps per-type state (the active dump, the stored PELs) and is confined to one thread
 * at a time; the registry is safe to read from any thread.
 *
 * <p><b>Errors:</b> bad input from the host never throws: every method returns a PLDM completion
 * code (constants of {@link io.ferry.pldm.codec.CompletionCodes}). Only configuration errors
 * (a base directory that cannot be created) throw, when the handler is built.
 *
 */
package io.ferry.pldm.handler;
