/**
 * Linux system calls through JNA direct mapping ({@link io.ferry.core.jna.LibC}), the C struct
 * layouts they take ({@code *Descriptor} classes with explicit offsets), and the off-heap memory
 * helpers that let hot paths pass raw addresses instead of marshalled objects.
 *
 * <p>Private to the core bundle. Everything here loads lazily: touching a constant never loads
 * JNA, and {@link io.ferry.core.jna.LibC#isAvailable()} reports, with a reason, whether the calls
 * can be made on this machine.
 */
package io.ferry.core.jna;
