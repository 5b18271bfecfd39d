package io.ferry.netstack.shm.ring.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ferry.netstack.shm.ring.ByteRingConsumer;
import io.ferry.netstack.shm.ring.ByteRingProducer;
import io.ferry.netstack.shm.ring.OneToOneByteRing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IJ_Result;

/**
 * The producer publishes 8 bytes (across the wrap: 4 at the end of the data area, 4 at the
 * start); the consumer reads. r1 = bytes read, r2 = their value. The release store of the write
 * index and the acquire load on the consumer side mean that seeing the index implies seeing the
 * bytes: a count of 8 with other bytes is forbidden.
 */
@JCStressTest
@Description("Bytes are visible once the write index that covers them is")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "nothing published yet")
@Outcome(id = "8, 72623859790382856", expect = ACCEPTABLE, desc = "all 8 bytes, intact")
@Outcome(expect = FORBIDDEN, desc = "index seen without its bytes")
@State
public class BytesVisibleWithIndex {

    private static final long VALUE = 0x0102030405060708L;

    private final ByteRingProducer producer;
    private final ByteRingConsumer consumer;
    private final byte[] in = new byte[8];
    private final byte[] out = new byte[8];

    public BytesVisibleWithIndex() {
        ByteBuffer region = Rings.newRing();
        producer = OneToOneByteRing.producer(region);
        consumer = OneToOneByteRing.consumer(region);
        byte[] skip = new byte[60];
        producer.write(skip, 0, 60);
        consumer.read(skip, 0, 60); // both at physical offset 60: the next 8 bytes wrap
        ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).putLong(VALUE);
    }

    @Actor
    public void producer() {
        producer.write(in, 0, 8);
    }

    @Actor
    public void consumer(IJ_Result r) {
        int n = consumer.read(out, 0, 8);
        r.r1 = n;
        r.r2 = n == 8 ? ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
    }
}
