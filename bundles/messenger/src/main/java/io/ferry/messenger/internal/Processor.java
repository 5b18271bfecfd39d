package io.ferry.messenger.internal;

import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on one address and accepts connections (Ceph's {@code Processor}); each accepted socket
 * goes to the stack's least loaded worker and becomes an accepting {@link AsyncConnection}.
 *
 * <p>Threading: {@link #start()} and {@link #stop()} from any thread; accepting runs on the
 * listener's worker.
 */
final class Processor {
    private static final Logger LOG = LoggerFactory.getLogger(Processor.class);

    private final AsyncMessenger messenger;
    private final NetworkStack stack;
    private final ServerSocket listener;
    private volatile FileEvent event;

    Processor(AsyncMessenger messenger, NetworkStack stack, InetSocketAddress address) throws IOException {
        this.messenger = messenger;
        this.stack = stack;
        this.listener = stack.listen(address, messenger.settings().socketOptions(), stack.leastLoadedWorker());
    }

    InetSocketAddress boundAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    void start() {
        listener.worker().center().execute(() -> {
            try {
                event = listener.worker().center().createFileEvent(listener, EventMask.READABLE, mask -> acceptAll());
            } catch (IOException | RuntimeException e) {
                LOG.error("messenger {}: cannot watch listener {}: {}", messenger.name(), boundAddress(), e.getMessage());
            }
        });
    }

    private void acceptAll() {
        while (true) {
            Worker target;
            try {
                target = stack.leastLoadedWorker();
            } catch (IllegalStateException stopping) {
                // the stack is stopping and woke its listeners to say so: nothing more will be accepted
                LOG.debug("messenger {}: stack stopping, no more accepts on {}: {}", messenger.name(), boundAddress(),
                        stopping.getMessage());
                FileEvent e = event;
                if (e != null) {
                    e.cancel();
                }
                return;
            }
            ConnectedSocket s;
            try {
                s = listener.accept(messenger.settings().socketOptions(), target);
            } catch (IOException e) {
                LOG.warn("messenger {}: accept on {} failed: {}", messenger.name(), boundAddress(), e.getMessage());
                return;
            }
            if (s == null) {
                return;
            }
            messenger.accepted(s);
        }
    }

    void stop() {
        listener.worker().center().execute(() -> {
            FileEvent e = event;
            if (e != null) {
                e.cancel();
            }
        });
        listener.close();
    }
}
