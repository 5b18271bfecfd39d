package io.ferry.netstack.shm.ring.jcstress;

import static io.ferry.netstack.shm.ring.StreamRingDescriptor.CONSUMER_WAITING_OFFSET;
import static io.ferry.netstack.shm.ring.StreamRingDescriptor.WRITE_INDEX_OFFSET;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The handshake as it would be with release stores and acquire loads only (no full fence), on the
 * same two fields: the evidence for the fences in ByteRingProducer/ByteRingConsumer. r1 = the
 * write index the consumer sees after announcing, r2 = the waiting flag the producer sees after
 * publishing. "0, 0" is the lost wake-up; release/acquire allow it (store-buffer reordering).
 */
@JCStressTest
@Description("Counter-example: the wake-up handshake with acquire/release only")
@Outcome(id = {"8, 1", "8, 0", "0, 1"}, expect = ACCEPTABLE, desc = "at least one side saw the other")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "LOST WAKE-UP: why the ring needs a full fence")
@State
public class HandshakeWithoutFence {

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer region = Rings.newRing();

    @Actor
    public void producer(II_Result r) {
        LONG.setRelease(region, WRITE_INDEX_OFFSET, 8L);
        r.r2 = (int) INT.getAcquire(region, CONSUMER_WAITING_OFFSET);
    }

    @Actor
    public void consumer(II_Result r) {
        INT.setRelease(region, CONSUMER_WAITING_OFFSET, 1);
        r.r1 = (int) (long) LONG.getAcquire(region, WRITE_INDEX_OFFSET);
    }
}
