/**
 * The benchmark runner: {@link io.ferry.bench.BenchMain} finds {@link io.ferry.bench.BenchSuite}s
 * with {@link java.util.ServiceLoader}, runs the ones asked for, and writes each suite's
 * {@link io.ferry.bench.ResultRow}s to {@code bench/results/<suite>.json} and as a table.
 *
 * <p>Every row compares Ferry with a named anchor measured side by side in the same JVM run, and
 * its ratio is oriented so that a value above 1 means Ferry is better.
 */
package io.ferry.bench;
