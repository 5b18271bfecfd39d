/**
 * Contract test suites written once against the {@code io.ferry.api} interfaces and run against
 * every implementation ({@link io.ferry.testkit.NetworkStackContract} for network stacks), and the
 * fixtures they are built from, public so that later stacks, integration suites and benchmarks
 * reuse them: an event-driven stream ({@link io.ferry.testkit.AsyncStream}), servers and clients
 * on it, byte patterns with checkers, and bounded waits.
 *
 * <p>Everything here drives sockets the way a real user does: from the owning worker's event loop,
 * reacting to readiness, never blocking a loop. Every wait is bounded.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.ferry.testkit;
