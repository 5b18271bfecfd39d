package io.ferry.pldm.simulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of 16-byte-aligned ranges of host memory for a simulator's DMA buffers,
 * with coalescing on free. Confined to the simulator's thread.
 */
final class HostMemoryAllocator {
    private final TreeMap<Long, Long> free = new TreeMap<>();

    HostMemoryAllocator(long base, long length) {
        long start = (base + 15) & ~15L;
        long len = (length - (start - base)) & ~15L;
        if (len > 0) {
            free.put(start, len);
        }
    }

    /** @return the address of {@code length} bytes (rounded up to 16), or -1 when no range is large enough */
    long allocate(long length) {
        long need = Math.max(16, (length + 15) & ~15L);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long at = e.getKey();
            long size = e.getValue(); // read before remove: TreeMap may reuse the entry for another key
            if (size >= need) {
                free.remove(at);
                if (size > need) {
                    free.put(at + need, size - need);
                }
                return at;
            }
        }
        return -1;
    }

    /** Returns a range from {@link #allocate}. */
    void free(long address, long length) {
        long len = Math.max(16, (length + 15) & ~15L);
        long start = address;
        Map.Entry<Long, Long> before = free.floorEntry(address);
        if (before != null && before.getKey() + before.getValue() == address) {
            start = before.getKey();
            len += before.getValue();
            free.remove(before.getKey());
        }
        Long after = free.get(address + Math.max(16, (length + 15) & ~15L));
        if (after != null) {
            free.remove(address + Math.max(16, (length + 15) & ~15L));
            len += after;
        }
        free.put(start, len);
    }

    /** @return the free bytes. */
    long freeBytes() {
        long sum = 0;
        for (long v : free.values()) {
            sum += v;
        }
        return sum;
    }
}
