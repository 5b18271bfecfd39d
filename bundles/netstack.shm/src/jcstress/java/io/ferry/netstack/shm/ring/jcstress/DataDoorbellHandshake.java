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
 * The consumer announces it is going idle on an empty ring while the producer commits and decides
 * whether to ring the data doorbell. r1 = what announceWaitingForData() returned (0 = it will
 * sleep), r2 = whether the producer rings.
 */
@JCStressTest
@Description("Data doorbell: announce idle, fence, re-check vs commit, fence, check waiting")
@Outcome(id = "0, true", expect = ACCEPTABLE, desc = "consumer sleeps, producer rings")
@Outcome(id = "8, false", expect = ACCEPTABLE, desc = "consumer saw the data and stays awake; no ring")
@Outcome(id = "8, true", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: one spurious wake-up")
@Outcome(id = "0, false", expect = FORBIDDEN, desc = "LOST WAKE-UP: consumer sleeps on data nobody rang for")
@State
public class DataDoorbellHandshake {

    private final ByteRingProducer producer;
    private final ByteRingConsumer consumer;
    private final byte[] bytes = new byte[8];

    public DataDoorbellHandshake() {
        ByteBuffer region = Rings.newRing();
        producer = OneToOneByteRing.producer(region);
        consumer = OneToOneByteRing.consumer(region);
    }

    @Actor
    public void producer(IZ_Result r) {
        producer.write(bytes, 0, 8);
        r.r2 = producer.needsConsumerWakeup();
    }

    @Actor
    public void consumer(IZ_Result r) {
        r.r1 = consumer.announceWaitingForData();
    }
}
