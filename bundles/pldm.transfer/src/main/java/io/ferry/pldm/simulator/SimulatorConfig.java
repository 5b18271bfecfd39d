package io.ferry.pldm.simulator;

/**
 * Settings of a {@link TerminusSimulator}. Immutable; any thread.
 *
 * @param bmcEid the endpoint id requests are sent to (8 for a demux, the BMC end's eid in-JVM)
 * @param windowBase first host address this simulator may use for DMA buffers
 * @param windowLength bytes of host memory from {@code windowBase} it may use (several
 *     simulators share one window with disjoint ranges)
 * @param behaviour the initial behaviour
 * @param slowDelayMillis the delay before each request in {@link SimulatorBehaviour#SLOW}
 * @param dieDelayMillis how long after sending a DMA request a {@link SimulatorBehaviour#DIE}
 *     simulator closes its transport
 * @param requestTimeoutMillis how long a request waits for its response before its future fails
 *     with a {@link java.util.concurrent.TimeoutException} (above the BMC's DMA timeout)
 */
public record SimulatorConfig(int bmcEid, long windowBase, long windowLength, SimulatorBehaviour behaviour,
        long slowDelayMillis, long dieDelayMillis, long requestTimeoutMillis) {
    public static final long SLOW_DELAY_MILLIS_DEFAULT = 50;
    public static final long DIE_DELAY_MILLIS_DEFAULT = 50;
    public static final long REQUEST_TIMEOUT_MILLIS_DEFAULT = 30_000;

    public SimulatorConfig {
        if (bmcEid < 0 || bmcEid > 255 || windowBase < 0 || windowLength < 16 || slowDelayMillis < 0
                || dieDelayMillis < 0 || requestTimeoutMillis < 1 || behaviour == null) {
            throw new IllegalArgumentException("invalid simulator settings");
        }
    }

    /** @return NORMAL settings using {@code [windowBase, windowBase + windowLength)} of the window. */
    public static SimulatorConfig of(int bmcEid, long windowBase, long windowLength) {
        return new SimulatorConfig(bmcEid, windowBase, windowLength, SimulatorBehaviour.NORMAL, SLOW_DELAY_MILLIS_DEFAULT,
                DIE_DELAY_MILLIS_DEFAULT, REQUEST_TIMEOUT_MILLIS_DEFAULT);
    }

    /** @return a copy with another request timeout. */
    public SimulatorConfig withRequestTimeoutMillis(long millis) {
        return new SimulatorConfig(bmcEid, windowBase, windowLength, behaviour, slowDelayMillis, dieDelayMillis, millis);
    }
}
