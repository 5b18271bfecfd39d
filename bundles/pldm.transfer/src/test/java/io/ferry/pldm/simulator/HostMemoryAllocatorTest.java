package io.ferry.pldm.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostMemoryAllocatorTest {
    @Test
    void shouldAlignNeverOverlapAndCoalesceBackToOneRange() {
        HostMemoryAllocator a = new HostMemoryAllocator(8, 1 << 20);
        long total = a.freeBytes();
        assertEquals(((1 << 20) - 8) & ~15L, total);
        Random random = new Random(42);
        List<long[]> live = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                long length = 1 + random.nextInt(40_000);
                long at = a.allocate(length);
                if (at >= 0) {
                    assertEquals(0, at % 16);
                    for (long[] other : live) {
                        assertTrue(at + length <= other[0] || other[0] + other[1] <= at, "overlap");
                    }
                    live.add(new long[] {at, length});
                }
            } else {
                long[] r = live.remove(random.nextInt(live.size()));
                a.free(r[0], r[1]);
            }
        }
        for (long[] r : live) {
            a.free(r[0], r[1]);
        }
        assertEquals(total, a.freeBytes());
        assertEquals(16, a.allocate(total)); // one range again
    }
}
