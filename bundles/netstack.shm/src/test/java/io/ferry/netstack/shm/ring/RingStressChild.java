package io.ferry.netstack.shm.ring;

import io.ferry.netstack.shm.ring.StressSupport.Api;
import io.ferry.netstack.shm.ring.StressSupport.SharedEnd;
import io.ferry.netstack.shm.ring.StressSupport.WaitMode;
import io.ferry.testkit.BytePattern;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The producer process of {@link TwoProcessStressTest}: maps the file the test created, attaches
 * the producer end of the ring at offset 0, writes the pattern for the given time and announces
 * the total in the control block that follows the ring.
 *
 * <p>Arguments: {@code file ringRegionLength seed millis api}. Exit code 0 on success, 1 on a
 * failure (printed to stderr), 2 if the test aborted the run.
 */
public final class RingStressChild {

    private RingStressChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int ringLength = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        long millis = Long.parseLong(args[3]);
        Api api = Api.valueOf(args[4]);
        MappedByteBuffer map;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, ringLength + SharedEnd.LENGTH);
        }
        SharedEnd end = new SharedEnd(map.slice(ringLength, SharedEnd.LENGTH));
        try {
            ByteRingProducer ring = OneToOneByteRing.producer(map.slice(0, ringLength));
            StressSupport.Producer producer = new StressSupport.Producer(ring, new BytePattern(seed), seed + 1, api,
                    WaitMode.SPIN, null, null, end);
            long produced = producer.run(TimeUnit.MILLISECONDS.toNanos(millis));
            if (end.aborted()) {
                System.err.println("child: aborted by the test after " + produced + " bytes");
                System.exit(2);
            }
            System.out.println("child: produced " + produced + " bytes");
            System.exit(0);
        } catch (Throwable t) {
            end.abort();
            t.printStackTrace();
            System.exit(1);
        }
    }
}
