package io.ferry.bench.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The harness's handle on the {@link BenchChild} JVM: starts it with this JVM's class path,
 * sends it commands and waits (bounded) for their answers, and kills it when closed. A watchdog
 * kills the child when a measurement overruns its deadline, which turns a harness thread
 * blocked in a socket read into an end-of-stream error instead of a hang.
 *
 * <p><b>Threading:</b> {@link #command}, {@link #arm}, {@link #disarm} and {@link #close} from the
 * harness thread; the reader and watchdog threads are internal.
 */
final class ChildProcess implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_MILLIS = 20_000;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(16);
    private final Thread watchdog;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean killedByWatchdog;

    private ChildProcess(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ok") || line.startsWith("err")) {
                        answers.put(line);
                    } else {
                        System.err.println("  child: " + line);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the child is gone; command() times out or sees it dead
            }
        }, "bench-child-reader");
        reader.setDaemon(true);
        reader.start();
        watchdog = new Thread(() -> {
            while (process.isAlive()) {
                if (System.nanoTime() > deadlineNanos) {
                    killedByWatchdog = true;
                    System.err.println("  bench: a measurement overran its deadline; killing the child JVM");
                    process.destroyForcibly();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Starts the child JVM with {@code jvmOptions}, this JVM's class path and {@link BenchChild} as main class. */
    static ChildProcess start(List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchChild.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ChildProcess(p);
    }

    /** Sends one command line and returns what followed {@code ok} in the answer. */
    String command(String line) throws IOException, InterruptedException {
        begin(line);
        return finish(line);
    }

    /** Sends one command line without waiting for its answer; {@link #finish} waits. */
    void begin(String line) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the bench child JVM is dead (exit " + process.exitValue() + ")");
        }
        commands.write(line + "\n");
        commands.flush();
    }

    /** Waits (bounded) for the answer to the command {@code line} sent with {@link #begin}. */
    String finish(String line) throws IOException, InterruptedException {
        String answer = answers.poll(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (answer == null) {
            throw new IOException("the bench child did not answer '" + line + "' in " + COMMAND_TIMEOUT_MILLIS + " ms"
                    + (process.isAlive() ? "" : " (it died)"));
        }
        if (!answer.startsWith("ok")) {
            throw new IOException("the bench child refused '" + line + "': " + answer);
        }
        return answer.substring(2).trim();
    }

    /** The watchdog kills the child if the current measurement is not over by {@code millis} from now. */
    void arm(long millis) {
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    void disarm() {
        deadlineNanos = Long.MAX_VALUE;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** @return whether a deadline expired (and the child was killed for it). */
    boolean killedByWatchdog() {
        return killedByWatchdog;
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                commands.write("quit\n");
                commands.flush();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            // killed below
        } finally {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchdog.interrupt();
        }
    }
}
