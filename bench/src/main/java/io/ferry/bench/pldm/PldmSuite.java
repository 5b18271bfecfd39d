package io.ferry.bench.pldm;

import io.ferry.bench.BenchOptions;
import io.ferry.bench.BenchSuite;
import io.ferry.bench.ResultRow;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pldm} suite, side by side in one JVM:
 * <ol>
 *   <li>8 MiB and 256 MiB through the {@code shm} DMA engine against {@code FileChannel.transferTo}
 *       into the same host-memory window, both directions ({@link ShmDmaBenchmark});</li>
 *   <li>8 MiB through the whole responder (engine + simulator) by DMA against the 4 KiB inline
 *       ReadFileByType/WriteFileByType path ({@link InlineVsDmaBenchmark});</li>
 *   <li>GetTID latency (p50, p99) with 64 DMA transfers in flight against the idle responder
 *       ({@link ResponderLatencyBenchmark}).</li>
 * </ol>
 *
 * <p>Runs on the runner's thread; every loop, window and file it makes is released before it returns.
 */
public final class PldmSuite implements BenchSuite {
    @Override
    public String name() {
        return "pldm";
    }

    @Override
    public String description() {
        return "PLDM transfer: shm DMA vs FileChannel.transferTo, DMA vs 4 KiB inline, GetTID latency under 64 transfers";
    }

    @Override
    public List<ResultRow> run(BenchOptions options) throws Exception {
        List<ResultRow> rows = new ArrayList<>(ShmDmaBenchmark.run(options));
        rows.addAll(InlineVsDmaBenchmark.run(options));
        rows.addAll(ResponderLatencyBenchmark.run(options));
        return rows;
    }
}
