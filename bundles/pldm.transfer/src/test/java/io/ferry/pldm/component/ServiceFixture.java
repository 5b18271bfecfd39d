package io.ferry.pldm.component;

import io.ferry.api.net.NetworkStack;
import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.TransferService;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.dma.ShmWindow;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A running {@link TransferServiceComponent} outside a framework, for the console and demo tests:
 * a real epoll loop, an shm DMA engine with a window in {@code dir}, endpoint role {@code off}.
 * Public so that tests of other packages can use it; one test thread.
 */
public final class ServiceFixture implements AutoCloseable {
    private final EventLoopWorker worker;
    private final ShmDmaEngine dma;
    private final TransferServiceComponent service = new TransferServiceComponent();

    public ServiceFixture(Path dir, long windowSize, Map<String, Object> config) throws IOException {
        worker = new EventLoopWorker(0, "pldm-fixture", new EpollDriverFactory().create());
        worker.start();
        dma = new ShmDmaEngine(ShmWindow.create(dir, windowSize), true, FileIoChecks.DMA_MAX_SIZE, 1 << 20);
        service.stack = (NetworkStack) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {NetworkStack.class}, (p, m, a) -> switch (m.getName()) {
                    case "leastLoadedWorker" -> worker;
                    case "type" -> "posix";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        service.dmaEngines = List.of(dma);
        try {
            service.endpoint = MctpEndpointComponent.parse(Map.of("role", "off"));
        } catch (ConfigValues.BadValue e) {
            throw new IllegalStateException(e);
        }
        service.activate(new FakeBundleContext(dir.resolve("data")).context(), config);
    }

    public TransferService service() {
        return service;
    }

    public LocalTerminals terminals() {
        return service;
    }

    public ShmDmaEngine dma() {
        return dma;
    }

    /** Binds {@code handler} as the whiteboard would. */
    public void addHandler(FileTypeHandler handler) {
        service.addHandler(handler, Map.of(FileTypeHandler.FILE_TYPE_PROPERTY, handler.fileType()));
    }

    /** Unbinds {@code handler} as the whiteboard would. */
    public void removeHandler(FileTypeHandler handler) {
        service.removeHandler(handler);
    }

    @Override
    public void close() {
        service.deactivate();
        dma.close();
        worker.stop(10_000);
    }
}
