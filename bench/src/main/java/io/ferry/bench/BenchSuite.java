package io.ferry.bench;

import java.util.List;

/**
 * One benchmark suite ({@code core}, later {@code messenger}, {@code shm}, {@code pldm}). A suite
 * is found through {@link java.util.ServiceLoader}: add the class to
 * {@code META-INF/services/io.ferry.bench.BenchSuite} and {@code bench/run <name>} runs it.
 *
 * <p><b>Threading:</b> the runner calls {@link #run} on its main thread, one suite at a time; a
 * suite starts and stops every thread, loop and socket it uses before {@code run} returns, also
 * when it throws.
 */
public interface BenchSuite {
    /** @return the suite's name on the command line and in {@code results/<name>.json}. */
    String name();

    /** @return one line saying what the suite measures against which anchor. */
    String description();

    /**
     * Runs every measurement of the suite.
     *
     * @return the rows, in the order they should be printed
     * @throws Exception if a measurement cannot be made; the runner reports it and writes nothing
     *     for this suite
     */
    List<ResultRow> run(BenchOptions options) throws Exception;
}
