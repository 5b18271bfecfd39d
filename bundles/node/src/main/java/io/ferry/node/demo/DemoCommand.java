package io.ferry.node.demo;

import io.ferry.api.demo.DemoStep;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code ferry:demo}: runs every {@link DemoStep} service of the node (see {@link DemoRunner})
 * and prints one row per step and the summary line. A Gogo function by service properties only,
 * like {@code ferry:status}. Also used by the {@link HeadlessDemo headless mode}.
 *
 * <p>Any thread may call it; a call blocks until the tour is over (each step is bounded by its
 * own timeout). Steps that come or go while a tour runs are picked up by the next tour.
 */
@Component(service = DemoCommand.class, property = {
        "osgi.command.scope=ferry",
        "osgi.command.function=demo"
})
public final class DemoCommand {
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, DemoStep>> steps;

    /** Runs the tour and prints it to the session. */
    public void demo() {
        runDemo(System.out);
    }

    /** Runs the tour, printing rows and the summary line to {@code out}. @return the outcome */
    public DemoRunner.Report runDemo(PrintStream out) {
        List<Map.Entry<Map<String, Object>, DemoStep>> current = steps;
        return new DemoRunner().run(DemoRunner.plan(current == null ? List.of() : current), out);
    }
}
