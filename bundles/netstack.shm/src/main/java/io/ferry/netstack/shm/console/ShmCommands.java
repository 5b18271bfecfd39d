package io.ferry.netstack.shm.console;

import io.ferry.api.net.NetworkStack;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.netstack.shm.stack.ShmNetworkStack;
import io.ferry.netstack.shm.stack.ShmStackComponent;
import java.util.ArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code shm:clients}, {@code shm:channels} and {@code shm:stats}: what the shm stack's control
 * server sees — client processes, channels with ring fill levels and doorbell writes, counters.
 * A Gogo function by service properties only (as {@code ferry:status}), so Felix Gogo and
 * Karaf's shell both run it; output goes to {@code System.out}, which both shells redirect to the
 * calling session. Bound to this bundle's {@code shm} stack service.
 *
 * <p>Any thread (the shell's); the snapshot is taken on the server's thread, bounded by 5 s.
 */
@Component(service = ShmCommands.class, property = {
        "osgi.command.scope=shm",
        "osgi.command.function=clients",
        "osgi.command.function=channels",
        "osgi.command.function=stats"
})
public final class ShmCommands {
    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=" + ShmNetworkStack.TYPE + ")")
    NetworkStack stack;

    /** Prints the connected client processes. */
    public void clients() {
        ShmControlServer server = server();
        print(server == null ? notRunning() : ShmConsoleReport.clients(server.snapshot()));
    }

    /** Prints the open channels: ring fill levels and eventfd writes per direction. */
    public void channels() {
        ShmControlServer server = server();
        print(server == null ? notRunning() : ShmConsoleReport.channels(server.snapshot()));
    }

    /** Prints the server's counters. */
    public void stats() {
        ShmNetworkStack s = running();
        ShmControlServer server = s == null ? null : s.server();
        if (server == null) {
            print(notRunning());
            return;
        }
        print(ShmConsoleReport.stats(new ShmConsoleReport.Stats(String.valueOf(server.socketPath()), server.liveClients(),
                server.liveChannels(), server.acceptedCount(), server.refusedCount(), server.malformedCount(),
                server.timedOutCount(), server.helloCompletedCount(), server.channelsOpenedCount(),
                server.channelsResetCount(), server.refusedConnectCount(), server.controlOverflowCount(),
                new ArrayList<>(server.listenerNames()), s.openSockets())));
    }

    private ShmNetworkStack running() {
        return stack instanceof ShmStackComponent c ? c.current() : null;
    }

    private ShmControlServer server() {
        ShmNetworkStack s = running();
        return s == null ? null : s.server();
    }

    private static String notRunning() {
        return "the shm stack is not running\n";
    }

    private static void print(String text) {
        System.out.print(text);
        System.out.flush();
    }
}
