package io.ferry.pldm.demo;

import io.ferry.pldm.component.LocalTerminal;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Helpers shared by the PLDM demo steps. Stateless; any thread. */
final class DemoSupport {
    private DemoSupport() {
    }

    /** A handle no earlier run used (the stores keep files across runs): from the clock, below 2^31. */
    static long freshHandle() {
        return (System.currentTimeMillis() / 10) & 0x7FFF_FFFFL;
    }

    /** Bytes whose every position differs from its neighbours, seeded. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 131 + seed + (i >>> 10));
        }
        return b;
    }

    /** Fails unless {@code r} is SUCCESS. */
    static TerminusSimulator.Result expectOk(String what, TerminusSimulator.Result r) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " answered " + String.format(Locale.ROOT, "0x%02X", r.completionCode()));
        }
        return r;
    }

    /** Fails unless {@code actual} equals {@code expected}. */
    static void expectSame(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException(what + ": the bytes read back differ from those written");
        }
    }

    /** Runs {@code body} with {@code terminal} and closes the terminal however it ends. */
    static CompletableFuture<String> with(LocalTerminal terminal, Function<LocalTerminal, CompletionStage<String>> body) {
        CompletableFuture<String> result;
        try {
            result = body.apply(terminal).toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, t) -> terminal.close());
    }

    static String millis(long startNanos) {
        return String.format(Locale.ROOT, "%.1f ms", (System.nanoTime() - startNanos) / 1e6);
    }
}
