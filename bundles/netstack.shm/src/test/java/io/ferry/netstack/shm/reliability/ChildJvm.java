package io.ferry.netstack.shm.reliability;

import io.ferry.api.net.Errno;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReliabilityChild} JVM: started with the class path entries it needs (optionally under
 * a command prefix such as {@code setpriv}), its output lines collected, killed with SIGKILL by
 * {@link #kill()} or {@link #close()}. Every wait is bounded. Test thread only.
 */
final class ChildJvm implements AutoCloseable {
    private static final long KILL_WAIT_SECONDS = 10;

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    transcript.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                transcript.add("(output closed: " + e + ")");
            }
        }, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The class path entries the child needs: this module's classes and tests, io.ferry.unix, api, core, JNA. */
    static List<Path> classPathEntries() throws Exception {
        Set<Path> entries = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {ReliabilityChild.class, ShmClient.class, UnixSeqpacketSocket.class, Errno.class,
                EventLoopWorker.class, org.slf4j.LoggerFactory.class, com.sun.jna.Native.class}) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return new ArrayList<>(entries);
    }

    /**
     * @param prefix a command the JVM runs under (e.g. {@code setpriv ...}), or empty
     * @param classPath the entries to put on {@code -cp}
     * @param jvmOptions extra options before the main class
     * @param args the child's arguments
     */
    static ChildJvm start(List<String> prefix, List<Path> classPath, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        List<String> cp = new ArrayList<>();
        classPath.forEach(p -> cp.add(p.toString()));
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(ReliabilityChild.class.getName());
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    static ChildJvm start(String... args) throws Exception {
        return start(List.of(), classPathEntries(), List.of(), args);
    }

    /**
     * @return the first output line starting with one of {@code prefixes}, waiting at most
     *     {@code millis} (less if the child exits first)
     */
    String awaitLine(long millis, String... prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean exited = false;
        while (true) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                for (String p : prefixes) {
                    if (line.startsWith(p)) {
                        return line;
                    }
                }
                continue;
            }
            if (exited) {
                throw new AssertionError("the child exited (" + process.exitValue() + ") without printing any of "
                        + List.of(prefixes) + "; its output:\n" + transcript());
            }
            if (!process.isAlive()) {
                exited = true; // one more round: the reader may still hold its last lines
                Thread.sleep(200);
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("the child did not print any of " + List.of(prefixes) + " in " + millis
                        + " ms; its output:\n" + transcript());
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGKILL and waits (bounded) until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " still alive " + KILL_WAIT_SECONDS + " s after SIGKILL");
        }
    }

    /** @return everything the child printed so far. */
    String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
