package io.ferry.pldm.component;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of disjoint ranges of the shm host-memory window among the local
 * terminals, so that several simulators share one window without touching each other's DMA
 * buffers. Thread-safe (synchronized; allocation happens when a terminal opens, not per message).
 */
final class HostRanges {
    /** Ranges are multiples of this, and start at such offsets. */
    static final long GRANULE = 4096;

    private final long size;
    private final TreeMap<Long, Long> used = new TreeMap<>();

    HostRanges(long size) {
        this.size = size;
    }

    /** @return the start of a free range of {@code length} bytes (rounded up), or -1 when none is left. */
    synchronized long allocate(long length) {
        long want = roundUp(Math.max(length, 1));
        long at = 0;
        for (Map.Entry<Long, Long> e : used.entrySet()) {
            if (e.getKey() - at >= want) {
                break;
            }
            at = e.getKey() + e.getValue();
        }
        if (size - at < want) {
            return -1;
        }
        used.put(at, want);
        return at;
    }

    /** @return the length that {@link #allocate} reserved for {@code length} bytes. */
    static long roundUp(long length) {
        return (length + GRANULE - 1) / GRANULE * GRANULE;
    }

    /** Returns the range starting at {@code start}; unknown starts are ignored. */
    synchronized void free(long start) {
        used.remove(start);
    }

    /** @return bytes not allocated. */
    synchronized long free() {
        return size - used.values().stream().mapToLong(Long::longValue).sum();
    }
}
