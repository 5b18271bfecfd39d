package io.ferry.netstack.shm.reliability;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.server.ShmControlServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * An shm server in this JVM, as the node runs it: {@link ShmControlServer} on its own epoll
 * {@link EventLoopWorker}. Records what the server logs (it logs through {@code System.Logger},
 * which is java.util.logging here). Close it in a finally / {@code @AfterEach}.
 */
final class ServerFixture implements AutoCloseable {
    private final EventLoopWorker worker;
    private final ShmControlServer server;
    private final Logger logger = Logger.getLogger(ShmControlServer.class.getName());
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private ServerFixture(EventLoopWorker worker, ShmControlServer server) {
        this.worker = worker;
        this.server = server;
    }

    static ServerFixture start(ShmControlServer.Config config) throws Exception {
        Logger logger = Logger.getLogger(ShmControlServer.class.getName());
        EventLoopWorker worker = new EventLoopWorker(0, "reliability-shm-server", new EpollDriverFactory().create());
        worker.start();
        // Attach the recorder before start: start logs the stale socket it removes.
        List<LogRecord> early = new ArrayList<>();
        Handler earlyHandler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (early) {
                    early.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(earlyHandler);
        CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                f.complete(ShmControlServer.start(worker.center(), config));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        ShmControlServer server;
        try {
            server = f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            logger.removeHandler(earlyHandler);
            worker.stop(5_000);
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (Exception e) {
            logger.removeHandler(earlyHandler);
            worker.stop(5_000);
            throw e;
        }
        ServerFixture fixture = new ServerFixture(worker, server);
        logger.addHandler(fixture.handler);
        logger.removeHandler(earlyHandler);
        synchronized (early) {
            fixture.records.addAll(early);
        }
        logger.setLevel(Level.ALL);
        return fixture;
    }

    ShmControlServer server() {
        return server;
    }

    Path socketPath() {
        return server.socketPath();
    }

    /** @return the messages logged so far at {@code level} or above, formatted. */
    List<String> logged(Level level) {
        List<String> out = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= level.intValue()) {
                    out.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters() == null ? new Object[0] : r.getParameters()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            worker.stop(5_000);
            logger.removeHandler(handler);
        }
    }
}
