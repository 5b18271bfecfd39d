package io.ferry.node.demo;

import io.ferry.api.demo.DemoStep;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs demo steps one at a time, in ascending {@link DemoStep#ORDER_PROPERTY} then name, and
 * prints one aligned row per step as it finishes, then a last line exactly
 * {@code demo: N passed, M failed}.
 *
 * <p>Each step gets at most its {@link DemoStep#timeoutMillis()} from the call to
 * {@link DemoStep#run()} to the completion of the stage it returns. {@code run()} is called on a
 * step thread owned by the runner, never on the caller's, so a step that breaks its contract and
 * blocks in {@code run()} costs its timeout and no more: the runner abandons that thread (it is a
 * daemon and is interrupted) and goes on with a fresh one.
 *
 * <p>One run at a time per instance; {@link #run} may be called from any thread and blocks until
 * every step passed, failed or timed out.
 */
public final class DemoRunner {
    /** Order given to steps registered without a usable {@link DemoStep#ORDER_PROPERTY}: last. */
    public static final int DEFAULT_ORDER = Integer.MAX_VALUE;
    /** Timeout used when a step reports zero or a negative one. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A step in the order it will run. */
    public record PlannedStep(String name, int order, DemoStep step) {
    }

    /** One finished step. */
    public record Row(boolean passed, String name, long millis, String text) {
    }

    /** What a run produced. */
    public record Report(List<Row> rows) {
        public Report {
            rows = List.copyOf(rows);
        }

        public long passed() {
            return rows.stream().filter(Row::passed).count();
        }

        public long failed() {
            return rows.size() - passed();
        }

        /** @return the last line of the output, {@code demo: N passed, M failed}. */
        public String summary() {
            return "demo: " + passed() + " passed, " + failed() + " failed";
        }
    }

    /**
     * Orders steps as the runner will run them: ascending {@link DemoStep#ORDER_PROPERTY}, then
     * name. A step whose {@code name()} throws still runs, under a name saying so.
     *
     * @param steps each step with its service properties
     */
    public static List<PlannedStep> plan(Collection<? extends Map.Entry<Map<String, Object>, DemoStep>> steps) {
        List<PlannedStep> planned = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, DemoStep> e : steps) {
            planned.add(new PlannedStep(nameOf(e.getValue()), order(e.getKey().get(DemoStep.ORDER_PROPERTY)),
                    e.getValue()));
        }
        planned.sort(Comparator.comparingInt(PlannedStep::order).thenComparing(PlannedStep::name));
        return planned;
    }

    /** Runs the planned steps in the given order, printing rows to {@code out} as they finish. */
    public Report run(List<PlannedStep> steps, PrintStream out) {
        int nameWidth = steps.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        ExecutorService stepThread = newStepThread();
        try {
            for (int i = 0; i < steps.size(); i++) {
                PlannedStep step = steps.get(i);
                Row row;
                if (Thread.currentThread().isInterrupted()) {
                    row = new Row(false, step.name(), 0, "not run: the demo was interrupted");
                } else {
                    Outcome outcome = runOne(step.step(), stepThread);
                    if (outcome.stepThreadStuck) {
                        stepThread.shutdownNow();
                        stepThread = newStepThread();
                    }
                    row = new Row(outcome.passed, step.name(), outcome.millis, outcome.text);
                }
                rows.add(row);
                out.println(format(row, nameWidth));
                out.flush();
            }
        } finally {
            stepThread.shutdownNow();
        }
        Report report = new Report(rows);
        out.println(report.summary());
        out.flush();
        return report;
    }

    /** @return one aligned row: status, name padded to {@code nameWidth}, duration, text. */
    static String format(Row row, int nameWidth) {
        String name = row.name() + " ".repeat(Math.max(0, nameWidth - row.name().length()));
        return String.format("%-4s  %s  %6d ms  %s", row.passed() ? "PASS" : "FAIL", name, row.millis(),
                oneLine(row.text())).stripTrailing();
    }

    private static final class Outcome {
        boolean passed;
        String text;
        long millis;
        boolean stepThreadStuck;
    }

    private static Outcome runOne(DemoStep step, ExecutorService stepThread) {
        Outcome o = new Outcome();
        long timeout = timeoutOf(step);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeout);
        Future<CompletionStage<String>> started = stepThread.submit(step::run);
        try {
            CompletionStage<String> stage = started.get(timeout, TimeUnit.MILLISECONDS);
            if (stage == null) {
                throw new IllegalStateException("run() returned null instead of a stage");
            }
            long left = Math.max(0, deadline - System.nanoTime());
            String result = toFuture(stage).get(left, TimeUnit.NANOSECONDS);
            o.passed = true;
            o.text = result == null ? "" : result;
        } catch (TimeoutException e) {
            o.text = "timed out after " + timeout + " ms";
            o.stepThreadStuck = !started.isDone();
            if (o.stepThreadStuck) {
                o.text += " (run() blocked its caller)";
            }
        } catch (ExecutionException e) {
            o.text = describe(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o.text = "interrupted";
            o.stepThreadStuck = !started.isDone();
        } catch (RuntimeException e) {
            o.text = describe(e);
        }
        o.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return o;
    }

    /** Any stage, also one whose {@code toCompletableFuture()} is unsupported, as a future. */
    private static CompletableFuture<String> toFuture(CompletionStage<String> stage) {
        CompletableFuture<String> f = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                f.complete(value);
            }
        });
        return f;
    }

    private static ExecutorService newStepThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ferry-demo-step-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static String describe(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName()
                : t.getClass().getSimpleName() + ": " + message;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static long timeoutOf(DemoStep step) {
        try {
            long t = step.timeoutMillis();
            return t > 0 ? t : DEFAULT_TIMEOUT_MILLIS;
        } catch (RuntimeException e) {
            return DEFAULT_TIMEOUT_MILLIS;
        }
    }

    private static String nameOf(DemoStep step) {
        try {
            String name = step.name();
            return name == null || name.isBlank() ? step.getClass().getName() : oneLine(name);
        } catch (RuntimeException e) {
            return step.getClass().getName() + " (name() failed: " + e + ")";
        }
    }

    /** @return the order property as an int: Integer, Long, other numbers or numeric text; else last. */
    static int order(Object value) {
        if (value instanceof Number) {
            long n = ((Number) value).longValue();
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
        }
        if (value instanceof String) {
            try {
                return Integer.parseInt(((String) value).trim());
            } catch (NumberFormatException e) {
                return DEFAULT_ORDER;
            }
        }
        return DEFAULT_ORDER;
    }
}
