/**
 * Gogo console commands of the shm stack ({@code shm:clients}, {@code shm:channels},
 * {@code shm:stats}): a DS component with {@code osgi.command.scope}/{@code osgi.command.function}
 * properties (so Felix Gogo and Karaf's shell both run them) and a plain renderer that turns the
 * control server's snapshot and counters into text. Private to the bundle.
 */
package io.ferry.netstack.shm.console;
