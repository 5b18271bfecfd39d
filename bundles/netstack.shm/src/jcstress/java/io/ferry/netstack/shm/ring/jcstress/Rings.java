package io.ferry.netstack.shm.ring.jcstress;

import io.ferry.netstack.shm.ring.OneToOneByteRing;
import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import java.nio.ByteBuffer;

/** A fresh 64-byte ring per jcstress state. */
final class Rings {

    static final int CAPACITY = StreamRingDescriptor.MIN_CAPACITY;

    private Rings() {
    }

    static ByteBuffer newRing() {
        int length = StreamRingDescriptor.regionLength(CAPACITY);
        ByteBuffer region = ByteBuffer.allocateDirect(length + StreamRingDescriptor.CACHE_LINE_LENGTH)
                .alignedSlice(StreamRingDescriptor.CACHE_LINE_LENGTH)
                .limit(length)
                .slice();
        OneToOneByteRing.initialize(region, CAPACITY);
        return region;
    }
}
