package io.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The command line behind {@code bench/run}:
 * <pre>
 * java -cp ... io.ferry.bench.BenchMain [--results DIR] [--quick] [--list] [suite...]
 * </pre>
 * With no suite names it runs every suite it knows. Each suite's rows go to
 * {@code DIR/<suite>.json} (default {@code bench/results}) and are printed as a table.
 * Exit status: 0 when every suite ran, 1 when one failed, 2 for a bad command line.
 *
 * <p>Single-threaded: suites run one after the other on the main thread.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; @return the exit status. */
    static int run(String[] args) {
        Path results = Path.of("bench", "results");
        BenchOptions options = BenchOptions.FULL;
        List<String> wanted = new ArrayList<>();
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> {
                    if (++i == args.length) {
                        return usage("--results needs a directory");
                    }
                    results = Path.of(args[i]);
                }
                case "--quick" -> options = BenchOptions.QUICK;
                case "--list" -> list = true;
                case "-h", "--help" -> {
                    usage(null);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        return usage("unknown option " + args[i]);
                    }
                    wanted.add(args[i]);
                }
            }
        }
        Map<String, BenchSuite> known = new LinkedHashMap<>();
        for (BenchSuite s : ServiceLoader.load(BenchSuite.class)) {
            known.put(s.name(), s);
        }
        if (list) {
            known.values().forEach(s -> System.out.printf("%-10s %s%n", s.name(), s.description()));
            return 0;
        }
        if (wanted.isEmpty()) {
            wanted.addAll(known.keySet());
        }
        for (String name : wanted) {
            if (!known.containsKey(name)) {
                return usage("unknown suite '" + name + "' (known: " + String.join(", ", known.keySet()) + ")");
            }
        }
        int failed = 0;
        for (String name : wanted) {
            BenchSuite suite = known.get(name);
            System.out.printf("== bench %s: %s%n", name, suite.description());
            long start = System.nanoTime();
            try {
                List<ResultRow> rows = suite.run(options);
                Path file = results.resolve(name + ".json");
                ResultWriter.writeJson(file, rows);
                System.out.print(ResultWriter.toTable(rows));
                System.out.printf("== bench %s: %d rows in %.0f s, written to %s%n", name, rows.size(),
                        (System.nanoTime() - start) / 1e9, file);
            } catch (Exception | LinkageError e) {
                failed++;
                System.err.printf("== bench %s FAILED: %s%n", name, e);
                e.printStackTrace();
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static int usage(String error) {
        if (error != null) {
            System.err.println("bench: " + error);
        }
        System.err.println("usage: bench/run [--quick] [--list] [--results DIR] [suite...]");
        return 2;
    }
}
