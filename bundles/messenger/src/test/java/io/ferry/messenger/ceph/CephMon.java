package io.ferry.messenger.ceph;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code ceph-mon} on loopback for tests, set up as PROTOCOLS.md section 1 says: a temp
 * folder with ceph.conf (msgr v1 only, auth none), a monmap, {@code --mkfs}, then {@code ceph-mon -f}
 * on a port the test picked. Every wait is bounded; {@link #close()} kills the process and deletes
 * the folder.
 */
final class CephMon implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private CephMon(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** @return the reason ceph-mon cannot run here (not installed and not installable), or null. */
    static String unavailableReason() {
        if (installed()) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("apt-get", "install", "-y", "--no-install-recommends", "ceph-mon", "ceph-common")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "apt-get install ceph-mon ceph-common did not finish within 10 minutes";
            }
            if (p.exitValue() != 0) {
                return "apt-get install ceph-mon ceph-common failed with exit code " + p.exitValue();
            }
        } catch (IOException e) {
            return "ceph-mon is not installed and apt-get could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while installing ceph-mon";
        }
        return installed() ? null : "ceph-mon is still missing after apt-get install";
    }

    private static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/ceph-mon")) && Files.isExecutable(Path.of("/usr/bin/monmaptool"));
    }

    static CephMon start() throws Exception {
        Path dir = Files.createTempDirectory("ferry-ceph-mon-");
        int port = freePort();
        String fsid = UUID.randomUUID().toString();
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("mon"));
        String conf = String.join("\n",
                "[global]",
                "fsid = " + fsid,
                "mon host = v1:127.0.0.1:" + port,
                "mon initial members = a",
                "public addr = 127.0.0.1",
                "ms bind msgr2 = false",
                "auth cluster required = none",
                "auth service required = none",
                "auth client required = none",
                "run dir = " + dir.resolve("run"),
                "admin socket = " + dir.resolve("run") + "/$name.asok",
                "log file = " + dir.resolve("log") + "/$name.log",
                "mon data = " + dir.resolve("mon") + "/$cluster-$id",
                "mon allow pool delete = true",
                "");
        Path confFile = dir.resolve("ceph.conf");
        Files.writeString(confFile, conf);
        Process mon = null;
        try {
            run(dir, "monmaptool", "--create", "--fsid", fsid, "--addv", "a", "[v1:127.0.0.1:" + port + "]",
                    dir.resolve("monmap").toString());
            run(dir, "ceph-mon", "-c", confFile.toString(), "--mkfs", "-i", "a", "--monmap", dir.resolve("monmap").toString());
            mon = new ProcessBuilder("ceph-mon", "-c", confFile.toString(), "-i", "a", "-f").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log/stdout.txt").toFile()).start();
            CephMon m = new CephMon(dir, port, mon);
            m.awaitQuorum(TimeUnit.SECONDS.toNanos(60));
            return m;
        } catch (Exception | Error e) {
            if (mon != null) {
                kill(mon);
            }
            deleteTree(dir);
            throw e;
        }
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** Waits for the port to accept and the admin socket to report the leader state. */
    private void awaitQuorum(long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ceph-mon exited with " + process.exitValue() + ": " + tail());
            }
            if (portOpen() && leader()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("ceph-mon did not reach quorum within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: " + tail());
            }
            Thread.sleep(200);
        }
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean leader() throws Exception {
        Path asok = dir.resolve("run/mon.a.asok");
        if (!Files.exists(asok)) {
            Path log = dir.resolve("log/mon.a.log");
            return Files.exists(log) && Files.readString(log).contains("mon.a@0(leader)");
        }
        Process p = new ProcessBuilder("ceph", "--admin-daemon", asok.toString(), "mon_status").redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        String text = new String(out, StandardCharsets.UTF_8);
        return text.contains("\"state\": \"leader\"") || text.contains("\"state\":\"leader\"");
    }

    String tail() {
        try {
            List<String> lines = new ArrayList<>();
            Path log = dir.resolve("log/mon.a.log");
            if (Files.exists(log)) {
                List<String> all = Files.readAllLines(log);
                lines.addAll(all.subList(Math.max(0, all.size() - 15), all.size()));
            }
            Path out = dir.resolve("log/stdout.txt");
            if (Files.exists(out)) {
                lines.addAll(Files.readAllLines(out));
            }
            return String.join("\n", lines);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command[0] + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws Exception {
        try {
            kill(process);
        } finally {
            deleteTree(dir);
        }
    }
}
