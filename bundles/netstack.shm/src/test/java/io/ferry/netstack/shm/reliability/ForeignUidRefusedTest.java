package io.ferry.netstack.shm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.Unix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client process of another uid is refused by the server's peer-credential check, not only by
 * file permissions: the test opens the socket directory and the socket to everyone (as a
 * misconfiguration might), runs a child JVM as {@code nobody} ({@code setpriv}, needs root), and
 * the child gets the server's {@code ERROR EACCES}; the server counts and logs the refusal and
 * keeps serving its own uid.
 */
class ForeignUidRefusedTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseAClientOfAnotherUidWithEacces() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        assumeTrue(ShmControlServer.currentUid() == 0, "runs a child as another uid: needs root");
        Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(setpriv != null, "setpriv (util-linux) is needed to run the child as nobody");

        // Everything the child touches must be reachable for nobody: the class path (copied out of
        // root's home), JNA's scratch directory, the socket directory and the socket.
        Path open = Files.createDirectories(temp.resolve("open"));
        List<Path> classPath = copyForEveryone(ChildJvm.classPathEntries(), open.resolve("cp"));
        Path jnaTmp = Files.createDirectories(open.resolve("jna"));
        Files.setPosixFilePermissions(jnaTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path socket = temp.resolve("ferry").resolve("shm.sock");
        try (ServerFixture fixture = ServerFixture.start(ShmControlServer.Config.defaults(socket))) {
            for (Path p : new Path[] {temp, socket.getParent()}) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
            long refusedBefore = fixture.server().refusedCount();

            List<String> prefix = List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
            try (ChildJvm child = ChildJvm.start(prefix, classPath,
                    List.of("-Djna.tmpdir=" + jnaTmp, "-Duser.home=" + jnaTmp, "-Djava.io.tmpdir=" + jnaTmp),
                    "hello", socket.toString())) {
                String line = child.awaitLine(60_000, "refused", "admitted");
                assertTrue(line.startsWith("refused " + Errno.EACCES + " "), "the child of uid nobody: " + line
                        + "\nchild output:\n" + child.transcript());
            }
            assertEquals(refusedBefore + 1, fixture.server().refusedCount(), "the server refused it (not the file system)");
            List<String> warnings = fixture.logged(Level.WARNING);
            assertTrue(warnings.stream().anyMatch(w -> w.contains(String.valueOf(NOBODY))),
                    "the refusal is logged naming the uid: " + warnings);
            assertEquals(0, fixture.server().liveClients());
            // Its own uid is still served.
            try (ShmClient own = ShmClient.connect(socket, TimeUnit.SECONDS.toNanos(10))) {
                assertEquals(ProcessHandle.current().pid(), own.serverPid());
            }
            System.out.println("refused uid " + NOBODY + "; server logged: " + warnings);
        }
    }

    /** Copies class path entries (jars and class directories) under {@code dir}, readable by everyone. */
    private static List<Path> copyForEveryone(List<Path> entries, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        int i = 0;
        for (Path e : entries) {
            Path target = dir.resolve(i++ + "-" + e.getFileName());
            if (Files.isDirectory(e)) {
                try (Stream<Path> s = Files.walk(e)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path t = target.resolve(e.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t);
                        }
                    }
                }
            } else {
                Files.createDirectories(dir);
                Files.copy(e, target);
            }
            out.add(target);
        }
        try (Stream<Path> s = Files.walk(dir.getParent())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return out;
    }
}
