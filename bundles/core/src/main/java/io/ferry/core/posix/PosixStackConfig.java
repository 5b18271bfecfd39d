package io.ferry.core.posix;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the posix stack (PID {@value #PID}). */
@ObjectClassDefinition(id = PosixStackConfig.PID, name = "Ferry posix network stack",
        description = "Kernel TCP over a pool of event-loop worker threads.")
@interface PosixStackConfig {
    String PID = "io.ferry.core.posix";
    int WORKERS_DEFAULT = 2;
    int WORKERS_MAX = 64;
    String DRIVER_DEFAULT = "auto";
    int POLL_MICROS_DEFAULT = 0;
    int POLL_MICROS_MAX = 10_000;

    @AttributeDefinition(name = "Workers", min = "1", max = "64",
            description = "Number of event-loop worker threads; each new connection goes to the least loaded.")
    int workers() default WORKERS_DEFAULT;

    @AttributeDefinition(name = "Event driver",
            description = "Poller under each worker: epoll (JNA, Linux), nio (portable Selector) or auto (epoll where available).",
            options = {@Option(value = "auto", label = "auto"), @Option(value = "epoll", label = "epoll"),
                    @Option(value = "nio", label = "nio")})
    String driver() default DRIVER_DEFAULT;

    @AttributeDefinition(name = "Poll before sleep (us)", min = "0", max = "10000",
            description = "Longest time a worker polls for events before it sleeps, adapted to how soon events come "
                    + "(0: sleep at once). Trades CPU for latency where waking a sleeping thread is slow; changed "
                    + "without restarting the stack.")
    int pollMicros() default POLL_MICROS_DEFAULT;
}
