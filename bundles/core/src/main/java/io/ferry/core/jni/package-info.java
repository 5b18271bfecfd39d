/**
 * Ferry's own JNI binding of the system calls on the data path ({@link io.ferry.core.jni.NativeIo}),
 * with JNA ({@link io.ferry.core.jna.LibC}) as the fallback where the library cannot load.
 * Internal to the core bundle; not exported.
 */
package io.ferry.core.jni;
