package io.ferry.netstack.shm.ring.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ferry.netstack.shm.ring.ByteRingConsumer;
import io.ferry.netstack.shm.ring.ByteRingProducer;
import io.ferry.netstack.shm.ring.OneToOneByteRing;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

/**
 * The ring starts full; the producer announces it is blocking for space while the consumer frees
 * the whole ring and decides whether to ring the space doorbell. r1 = what
 * announceWaitingForSpace() returned (0 = it will block), r2 = whether the consumer rings.
 */
@JCStressTest
@Description("Space doorbell: announce blocked, fence, re-check vs release, fence, check waiting")
@Outcome(id = "0, true", expect = ACCEPTABLE, desc = "producer blocks, consumer rings")
@Outcome(id = "64, false", expect = ACCEPTABLE, desc = "producer saw the space and keeps writing; no ring")
@Outcome(id = "64, true", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: one spurious wake-up")
@Outcome(id = "0, false", expect = FORBIDDEN, desc = "LOST WAKE-UP: producer blocks on space nobody rang for")
@State
public class SpaceDoorbellHandshake {

    private final ByteRingProducer producer;
    private final ByteRingConsumer consumer;
    private final byte[] bytes = new byte[64];

    public SpaceDoorbellHandshake() {
        ByteBuffer region = Rings.newRing();
        producer = OneToOneByteRing.producer(region);
        consumer = OneToOneByteRing.consumer(region);
        producer.write(bytes, 0, 64);
        consumer.readable(); // the consumer has seen the full ring
    }

    @Actor
    public void producer(IZ_Result r) {
        r.r1 = producer.announceWaitingForSpace();
    }

    @Actor
    public void consumer(IZ_Result r) {
        consumer.read(bytes, 0, 64);
        r.r2 = consumer.needsProducerWakeup();
    }
}
