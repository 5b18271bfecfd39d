package io.ferry.node.console;

import io.ferry.node.console.NodeSnapshot.BundleInfo;
import io.ferry.node.console.NodeSnapshot.DriverInfo;
import io.ferry.node.console.NodeSnapshot.PoolInfo;
import io.ferry.node.console.NodeSnapshot.StackInfo;
import io.ferry.node.console.NodeSnapshot.WorkerInfo;

/** Renders a {@link NodeSnapshot} as the text {@code ferry:status} prints. Stateless. */
public final class StatusReport {
    private static final String INDENT = "  ";
    private static final String NONE = INDENT + "(none)\n";

    private StatusReport() {
    }

    /** @return the report, several lines, each ending with a newline. */
    public static String render(NodeSnapshot s) {
        StringBuilder out = new StringBuilder();

        out.append("Bundles\n");
        Table bundles = new Table("ID", "STATE", "NAME", "VERSION");
        for (BundleInfo b : s.bundles()) {
            bundles.row(b.id(), b.state(), b.name(), b.version());
        }
        renderOrNone(bundles, out);

        out.append("Services\n");
        Table services = new Table("SERVICE", "PROPERTY", "DETAIL");
        for (StackInfo st : s.stacks()) {
            services.row("NetworkStack", "ferry.stack=" + st.type(),
                    st.problem() == null ? st.workers().size() + " workers" : st.problem());
        }
        for (DriverInfo d : s.drivers()) {
            services.row("EventDriverFactory", "ferry.driver=" + d.name(),
                    (d.available() ? "available" : "not available on this machine")
                            + (d.pollsFileDescriptors() ? ", polls file descriptors" : ", polls JDK channels"));
        }
        for (PoolInfo p : s.pools()) {
            services.row("BufferPool", "-", p.bytesInUse() + " bytes in use (" + p.buffersInUse() + " buffers)");
        }
        renderOrNone(services, out);

        if (s.stacks().isEmpty()) {
            out.append("Stacks\n").append(NONE);
        }
        for (StackInfo st : s.stacks()) {
            out.append("Stack ").append(st.type());
            if (st.problem() != null) {
                out.append(": ").append(st.problem()).append('\n');
                continue;
            }
            out.append(": driver ").append(st.driver()).append(", ").append(st.workers().size()).append(" workers\n");
            Table workers = new Table("WORKER", "THREAD", "LOAD", "EVENTS", "STATE");
            for (WorkerInfo w : st.workers()) {
                workers.row(w.id(), w.thread(), w.load(), w.eventsProcessed(), w.running() ? "running" : "stopped");
            }
            renderOrNone(workers, out);
        }
        return out.toString();
    }

    private static void renderOrNone(Table table, StringBuilder out) {
        if (table.size() == 0) {
            out.append(NONE);
        } else {
            table.render(out, INDENT);
        }
    }
}
