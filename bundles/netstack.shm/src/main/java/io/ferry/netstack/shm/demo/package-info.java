/**
 * The shm demo step ({@code ./ferry demo}, {@code ferry:demo}): a separate JVM process using the
 * plain-JVM client library ({@link io.ferry.netstack.shm.demo.ShmDemoClient}) exchanges data with
 * an echo service the step runs inside the node on the {@code shm} stack, and reports bytes and
 * round-trip times. Private to the bundle.
 */
package io.ferry.netstack.shm.demo;
