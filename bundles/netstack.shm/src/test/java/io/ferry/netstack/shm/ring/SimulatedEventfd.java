package io.ferry.netstack.shm.ring;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An in-process stand-in for a (non-semaphore) eventfd: a counter that {@link #write(long)} adds
 * to and {@link #drain()} empties, with a wait for it to become non-zero. Lets the two-thread
 * stress test drive the real doorbell protocol without JNA.
 */
final class SimulatedEventfd {
    private final Semaphore counter = new Semaphore(0);
    private long writes;

    /** eventfd_write(fd, value). */
    void write(long value) {
        synchronized (this) {
            writes += value;
        }
        counter.release((int) value);
    }

    /** Waits (like poll for POLLIN) until the counter is non-zero; does not consume it. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (!counter.tryAcquire(timeout, unit)) {
            return false;
        }
        counter.release();
        return true;
    }

    /** eventfd_read on a non-blocking eventfd: the whole counter, or 0 (EAGAIN). */
    long drain() {
        return counter.drainPermits();
    }

    synchronized long writes() {
        return writes;
    }
}
