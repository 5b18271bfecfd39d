package io.ferry.netstack.shm.ring;

import java.nio.ByteBuffer;

/** Test fixtures: 64-byte aligned direct regions holding a formatted ring. */
final class TestRegions {

    private TestRegions() {
    }

    /** @return a direct, 64-byte aligned buffer of exactly {@code length} bytes, zero-filled. */
    static ByteBuffer aligned(int length) {
        return ByteBuffer.allocateDirect(length + StreamRingDescriptor.CACHE_LINE_LENGTH)
                .alignedSlice(StreamRingDescriptor.CACHE_LINE_LENGTH)
                .limit(length)
                .slice();
    }

    /** @return a region holding a freshly initialized ring of {@code capacity}. */
    static ByteBuffer ring(int capacity) {
        ByteBuffer region = aligned(StreamRingDescriptor.regionLength(capacity));
        OneToOneByteRing.initialize(region, capacity);
        return region;
    }
}
