package io.ferry.node.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.demo.DemoStep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DemoRunnerTest {

    private static DemoStep step(String name, long timeout, Supplier<CompletionStage<String>> body) {
        return new DemoStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long timeoutMillis() {
                return timeout;
            }

            @Override
            public CompletionStage<String> run() {
                return body.get();
            }
        };
    }

    private static Map.Entry<Map<String, Object>, DemoStep> entry(Object order, DemoStep step) {
        return new SimpleEntry<>(order == null ? Map.of() : Map.of(DemoStep.ORDER_PROPERTY, order), step);
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void shouldRunStepsByOrderThenName() {
        List<String> ran = new ArrayList<>();
        Supplier<CompletionStage<String>> ok = () -> CompletableFuture.completedFuture("ok");
        List<Map.Entry<Map<String, Object>, DemoStep>> steps = List.of(
                entry(200, step("b", 1000, () -> { ran.add("b200"); return ok.get(); })),
                entry(null, step("last", 1000, () -> { ran.add("last"); return ok.get(); })),
                entry("150", step("text order", 1000, () -> { ran.add("text150"); return ok.get(); })),
                entry(100, step("z", 1000, () -> { ran.add("z100"); return ok.get(); })),
                entry(100L, step("a", 1000, () -> { ran.add("a100"); return ok.get(); })));

        DemoRunner.Report report = new DemoRunner().run(DemoRunner.plan(steps), new PrintStream(new ByteArrayOutputStream()));

        assertEquals(List.of("a100", "z100", "text150", "b200", "last"), ran);
        assertEquals(5, report.passed());
    }

    @Test
    void shouldPrintAlignedRowsAndTheSummaryLineLast() {
        List<Map.Entry<Map<String, Object>, DemoStep>> steps = List.of(
                entry(1, step("short", 1000, () -> CompletableFuture.completedFuture("fine"))),
                entry(2, step("a much longer name", 1000,
                        () -> CompletableFuture.failedFuture(new IllegalStateException("broken\nbadly")))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DemoRunner.Report report = new DemoRunner().run(DemoRunner.plan(steps), new PrintStream(out, true));

        List<String> lines = lines(out);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("PASS  short               "), lines.get(0));
        assertTrue(lines.get(0).endsWith(" ms  fine"), lines.get(0));
        assertTrue(lines.get(1).startsWith("FAIL  a much longer name  "), lines.get(1));
        assertTrue(lines.get(1).endsWith(" ms  IllegalStateException: broken badly"), lines.get(1));
        assertEquals(lines.get(0).indexOf(" ms"), lines.get(1).indexOf(" ms"), "duration column aligned");
        assertEquals("demo: 1 passed, 1 failed", lines.get(2));
        assertEquals(1, report.failed());
    }

    @Test
    void shouldFailAStepThatThrowsFromRun() {
        DemoRunner.Report report = new DemoRunner().run(DemoRunner.plan(List.of(entry(1, step("thrower", 1000, () -> {
            throw new IllegalArgumentException("no such thing");
        })))), new PrintStream(new ByteArrayOutputStream()));

        assertFalse(report.rows().get(0).passed());
        assertEquals("IllegalArgumentException: no such thing", report.rows().get(0).text());
    }

    @Test
    void shouldFailAStepThatNeverCompletesAfterItsTimeout() {
        long start = System.nanoTime();
        DemoRunner.Report report = new DemoRunner().run(DemoRunner.plan(List.of(
                entry(1, step("hangs", 200, CompletableFuture::new)),
                entry(2, step("next", 1000, () -> CompletableFuture.completedFuture("still runs"))))),
                new PrintStream(new ByteArrayOutputStream()));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals("timed out after 200 ms", report.rows().get(0).text());
        assertTrue(report.rows().get(1).passed());
        assertTrue(millis < 5_000, "took " + millis + " ms");
    }

    @Test
    void shouldNotLetAStepThatBlocksInRunStallTheTour() {
        CountDownLatch never = new CountDownLatch(1);
        DemoRunner.Report report = new DemoRunner().run(DemoRunner.plan(List.of(
                entry(1, step("blocks", 200, () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return CompletableFuture.completedFuture("too late");
                })),
                entry(2, step("next", 1000, () -> CompletableFuture.completedFuture("ran on a fresh thread"))))),
                new PrintStream(new ByteArrayOutputStream()));

        assertEquals("timed out after 200 ms (run() blocked its caller)", report.rows().get(0).text());
        assertTrue(report.rows().get(1).passed());
        assertEquals("demo: 1 passed, 1 failed", report.summary());
    }

    @Test
    void shouldReportZeroStepsAsAllPassed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoRunner.Report report = new DemoRunner().run(List.of(), new PrintStream(out, true));
        assertEquals(List.of("demo: 0 passed, 0 failed"), lines(out));
        assertEquals(0, report.failed());
    }
}
