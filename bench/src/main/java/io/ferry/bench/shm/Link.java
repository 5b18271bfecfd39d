package io.ferry.bench.shm;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The harness's end of one link to the {@link BenchChild}: sends whole messages and waits for one
 * answer. Every wait is bounded (by the link's own timeout or by the child watchdog, which kills
 * the child and so ends a blocked read).
 *
 * <p><b>Threading:</b> one thread at a time (the harness thread).
 */
interface Link extends AutoCloseable {
    /** @return the child's name for this link (its {@code active} id). */
    String id();

    /** @return what the rows call it, such as {@code "tcp loopback"}. */
    String label();

    /**
     * @return whether the measuring threads are pinned to two different CPUs while this link is
     *     measured ({@link CpuAffinity}): yes for links whose ends spin (shared memory), no for
     *     kernel sockets, whose blocked reader the scheduler wakes best where it likes
     */
    boolean pinned();

    /** Sends {@code message} from its position to its limit, all of it. */
    void send(ByteBuffer message) throws IOException;

    /** Waits for one answer of {@code scratch.remaining()} bytes (read into {@code scratch}). */
    void awaitAnswer(ByteBuffer scratch) throws IOException;

    @Override
    void close();
}
