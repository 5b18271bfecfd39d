package io.ferry.itests;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.net.NetworkStack;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * A messenger that lives outside the framework's bundle life cycle, as a peer on another node
 * would: the messenger and core classes are loaded from the reactor's jars into a private class
 * loader (child-first for {@code io.ferry.messenger}, {@code io.ferry.core} and JCTools; the API,
 * JNA and slf4j come from the test probe, so the peer is a plain {@link Messenger}), on a posix
 * stack of its own. Stopping the messenger or core bundle does not touch it.
 *
 * <p>Runs inside the probe (the test side of the native container); {@link #close} stops the
 * messenger and the stack, bounded.
 */
final class MessengerPeer implements AutoCloseable {
    private static final String[] OWN = {"io.ferry.messenger.", "io.ferry.core.", "org.jctools."};

    private final URLClassLoader loader;
    private final Object stack;
    private final Messenger messenger;

    private MessengerPeer(URLClassLoader loader, Object stack, Messenger messenger) {
        this.loader = loader;
        this.stack = stack;
        this.messenger = messenger;
    }

    /** Starts a peer {@code name} ({@code osd.<num>}) whose reconnect back-off runs from 50 ms to {@code maxBackoffMillis}. */
    static MessengerPeer start(String name, int num, long maxBackoffMillis) throws Exception {
        URLClassLoader loader = new ChildFirst(new URL[] {jar("messenger"), jar("core")}, MessengerPeer.class.getClassLoader());
        Object factory = loader.loadClass("io.ferry.core.epoll.EpollDriverFactory").getConstructor().newInstance();
        if (!((EventDriverFactory) factory).isAvailable()) {
            factory = loader.loadClass("io.ferry.core.nio.NioDriverFactory").getConstructor().newInstance();
        }
        Class<?> stackClass = loader.loadClass("io.ferry.core.posix.PosixNetworkStack");
        Object stack = stackClass.getConstructor(String.class, EventDriverFactory.class, int.class)
                .newInstance("peer-" + name + "-", factory, 1);
        stackClass.getMethod("start").invoke(stack);
        Class<?> settingsClass = loader.loadClass("io.ferry.messenger.internal.MessengerSettings");
        Object settings = settingsClass.getMethod("defaults", String.class, EntityName.class).invoke(null, name, EntityName.osd(num));
        settings = settingsClass.getMethod("withBackoff", long.class, long.class).invoke(settings, 50_000_000L,
                maxBackoffMillis * 1_000_000L);
        Messenger m = (Messenger) loader.loadClass("io.ferry.messenger.internal.AsyncMessenger")
                .getConstructor(NetworkStack.class, settingsClass).newInstance(stack, settings);
        return new MessengerPeer(loader, stack, m);
    }

    Messenger messenger() {
        return messenger;
    }

    @Override
    public void close() throws Exception {
        try {
            messenger.shutdown();
            messenger.getClass().getMethod("awaitClosed", long.class, java.util.concurrent.TimeUnit.class)
                    .invoke(messenger, 5L, java.util.concurrent.TimeUnit.SECONDS);
            stack.getClass().getMethod("stop", long.class).invoke(stack, 5_000L);
        } catch (InvocationTargetException e) {
            throw new IOException("peer did not stop cleanly: " + e.getCause(), e.getCause());
        } finally {
            loader.close();
        }
    }

    private static URL jar(String folder) throws IOException {
        String version = System.getProperty("ferry.version");
        File f = new File(System.getProperty("ferry.reactor.root", ".."),
                "bundles/" + folder + "/target/io.ferry." + folder + "-" + version + ".jar");
        if (!f.isFile()) {
            File m2 = new File(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"),
                    "io/ferry/io.ferry." + folder + "/" + version + "/io.ferry." + folder + "-" + version + ".jar");
            if (!m2.isFile()) {
                throw new IOException("no jar of bundles/" + folder + " at " + f + " or " + m2);
            }
            f = m2;
        }
        return snapshot(f).toURI().toURL();
    }

    /**
     * A private copy of {@code jar}, checked to open as a jar: a concurrent build may be rewriting
     * the original while the peer loads classes from it. Up to 5 tries, 200 ms apart.
     */
    private static File snapshot(File jar) throws IOException {
        File copy = File.createTempFile("peer-" + jar.getName().replace(".jar", "") + "-", ".jar",
                new File("target").isDirectory() ? new File("target") : null);
        copy.deleteOnExit();
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                java.nio.file.Files.copy(jar.toPath(), copy.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (java.util.jar.JarFile check = new java.util.jar.JarFile(copy)) {
                    if (check.getManifest() != null && check.stream().count() > 1) {
                        return copy;
                    }
                }
                last = new IOException(jar + " has no manifest or entries");
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while copying " + jar, e);
            }
        }
        throw new IOException("cannot take a readable copy of " + jar, last);
    }

    /** Loads the peer's own packages from its jars first; everything else from the probe. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                for (String own : OWN) {
                    if (name.startsWith(own)) {
                        Class<?> c = findLoadedClass(name);
                        if (c == null) {
                            c = findClass(name);
                        }
                        if (resolve) {
                            resolveClass(c);
                        }
                        return c;
                    }
                }
                return super.loadClass(name, resolve);
            }
        }
    }
}
