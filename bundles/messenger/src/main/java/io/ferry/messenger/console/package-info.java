/**
 * The {@code msgr:} console commands ({@code msgr:status}, {@code msgr:ping}, {@code msgr:bench}):
 * a plain DS component with {@code osgi.command.*} properties, so Felix Gogo and Karaf's shell both
 * run it. Commands run on the calling session's thread, print to {@code System.out} and wait
 * bounded times.
 */
package io.ferry.messenger.console;
