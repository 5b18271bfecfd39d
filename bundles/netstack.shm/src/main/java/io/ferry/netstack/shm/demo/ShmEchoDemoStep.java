package io.ferry.netstack.shm.demo;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.net.NetworkStack;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.stack.ShmNetworkStack;
import io.ferry.netstack.shm.stack.ShmStackComponent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Demo step: a child JVM ({@link ShmDemoClient}, the plain-JVM client library) connects to the
 * node's shm server and exchanges {@value #MESSAGES} messages of {@value #SIZE} bytes with an echo
 * service this step runs on the {@code shm} stack; the row reports the bytes and the round trips.
 *
 * <p>The child's class path is one temporary jar holding the classes of the bundles the client
 * library needs (this one, io.ferry.unix, io.ferry.api, JNA, slf4j), copied from the bundles
 * themselves, so it works however the bundles were installed (files, Maven URLs, an executable
 * jar). The child is bounded: it is killed if it has not finished in time; the jar is deleted.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + ShmEchoDemoStep.ORDER)
public final class ShmEchoDemoStep implements DemoStep {
    /** After the foundation (100-199) and the posix steps. */
    public static final int ORDER = 210;
    static final int MESSAGES = 200;
    static final int SIZE = 1024;
    static final long CHILD_TIMEOUT_MILLIS = 20_000;
    private static final AtomicInteger RUNS = new AtomicInteger();

    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=" + ShmNetworkStack.TYPE + ")")
    private NetworkStack stack;

    private final Set<Process> children = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "shm: client process echo";
    }

    @Override
    public long timeoutMillis() {
        return CHILD_TIMEOUT_MILLIS + 10_000;
    }

    @Override
    public CompletionStage<String> run() {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(runBlocking());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "ferry-shm-demo");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private String runBlocking() throws Exception {
        if (!(stack instanceof ShmStackComponent) || ((ShmStackComponent) stack).current() == null) {
            throw new IllegalStateException("the shm stack is not running");
        }
        Path socketPath = ((ShmStackComponent) stack).current().server().socketPath();
        Path jar = Files.createTempFile("ferry-shm-demo-client", ".jar");
        try (NodeEchoService echo = NodeEchoService.start(stack, ShmAddress.of("demo/echo-" + RUNS.incrementAndGet()))) {
            writeClassPathJar(jar);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String name = ((ShmAddress) echo.address()).name();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-cp", jar.toString(), ShmDemoClient.class.getName(),
                    socketPath.toString(), name, Integer.toString(MESSAGES), Integer.toString(SIZE));
            pb.redirectErrorStream(true);
            long start = System.nanoTime();
            Process child = pb.start();
            children.add(child);
            try {
                child.getOutputStream().close();
                CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                    try (InputStream in = child.getInputStream()) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "FAIL reading the child's output: " + e;
                    }
                });
                if (!child.waitFor(CHILD_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the client process did not finish within " + CHILD_TIMEOUT_MILLIS + " ms");
                }
                String out = output.get(5, TimeUnit.SECONDS).trim();
                String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
                if (child.exitValue() != 0 || !last.startsWith("OK ")) {
                    throw new IllegalStateException("client process exit " + child.exitValue() + ": " + out);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                String[] f = last.split(" "); // OK bytes=N p50us=X p99us=Y
                return "pid " + child.pid() + " -> " + name + ": " + MESSAGES + " x " + SIZE + " B echoed, "
                        + f[1].substring(6) + " bytes, RTT p50 " + f[2].substring(6) + " us, p99 " + f[3].substring(6)
                        + " us (child JVM " + millis + " ms)";
            } finally {
                child.destroyForcibly();
                children.remove(child);
            }
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /** Copies the classes (and resources) of the client library's bundles into one jar. */
    static void writeClassPathJar(Path jar) throws IOException {
        // Each class is looked up through the bundles found so far (JNA is visible to io.ferry.unix, not to us).
        Set<Bundle> bundles = new LinkedHashSet<>();
        Bundle self = FrameworkUtil.getBundle(ShmClient.class);
        if (self == null) {
            throw new IOException("not running inside OSGi: start ShmDemoClient with the bundle jar on the class path");
        }
        bundles.add(self);
        for (String cls : List.of("io.ferry.unix.Unix", "io.ferry.api.net.Errno", "com.sun.jna.Native", "org.slf4j.Logger")) {
            Bundle found = null;
            for (Bundle b : List.copyOf(bundles)) {
                try {
                    found = FrameworkUtil.getBundle(b.loadClass(cls));
                    break;
                } catch (ClassNotFoundException e) {
                    // try the next bundle
                }
            }
            if (found != null) {
                bundles.add(found);
            } else if (!cls.startsWith("org.slf4j")) {
                throw new IOException("the client library needs " + cls + ", which no bundle it uses can see");
            }
        }
        Set<String> written = new HashSet<>();
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Bundle b : bundles) {
                Enumeration<URL> entries = b.findEntries("/", "*", true);
                while (entries != null && entries.hasMoreElements()) {
                    URL url = entries.nextElement();
                    String path = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
                    if (path.isEmpty() || path.endsWith("/") || path.startsWith("META-INF/") || path.startsWith("OSGI-")
                            || !written.add(path)) {
                        continue;
                    }
                    zip.putNextEntry(new ZipEntry(path));
                    try (InputStream in = url.openStream()) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        for (Process p : children) {
            p.destroyForcibly();
        }
    }
}
