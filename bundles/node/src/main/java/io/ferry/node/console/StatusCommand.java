package io.ferry.node.console;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code ferry:status}: the Ferry bundles, the Ferry services, and per network stack its driver
 * and workers (thread, load, events processed). A Gogo function by service properties only, so
 * Felix Gogo and Karaf's shell both run it; output goes to {@code System.out}, which both shells
 * redirect to the calling session.
 */
@Component(service = StatusCommand.class, property = {
        "osgi.command.scope=ferry",
        "osgi.command.function=status"
})
public final class StatusCommand {
    @Reference
    NodeInventory inventory;

    /** Prints the node's status to the session. */
    public void status() {
        System.out.print(StatusReport.render(inventory.snapshot()));
        System.out.flush();
    }
}
