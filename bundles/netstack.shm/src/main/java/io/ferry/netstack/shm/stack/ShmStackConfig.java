package io.ferry.netstack.shm.stack;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the shm stack (PID {@value #PID}). */
@ObjectClassDefinition(id = ShmStackConfig.PID, name = "Ferry shared-memory network stack",
        description = "Sockets over shared-memory rings between client processes and services inside the node.")
@interface ShmStackConfig {
    String PID = "io.ferry.netstack.shm";
    int WORKERS_DEFAULT = 2;
    int WORKERS_MAX = 64;
    String DRIVER_DEFAULT = "auto";
    int RING_CAPACITY_DEFAULT = 128 * 1024;
    int MAX_CHANNELS_DEFAULT = 64;
    int MAX_CHANNELS_MAX = 65536;
    long HELLO_TIMEOUT_MILLIS_DEFAULT = 5_000;
    int ALLOWED_GROUP_NONE = -1;

    @AttributeDefinition(name = "Socket path", required = false,
            description = "AF_UNIX SOCK_SEQPACKET control socket. Empty: $XDG_RUNTIME_DIR/ferry/shm.sock, else /tmp/ferry-<uid>/shm.sock (directory 0700).")
    String socketPath() default "";

    @AttributeDefinition(name = "Workers", min = "1", max = "64",
            description = "Event-loop worker threads of the node-side stack; worker 0 also runs the control server.")
    int workers() default WORKERS_DEFAULT;

    @AttributeDefinition(name = "Event driver", description = "epoll (the shm sockets are file descriptors); auto = epoll.",
            options = {@Option(value = "auto", label = "auto"), @Option(value = "epoll", label = "epoll")})
    String driver() default DRIVER_DEFAULT;

    @AttributeDefinition(name = "Ring capacity", min = "64", max = "1073741824",
            description = "Default bytes of each ring (one per direction) of a new channel.")
    int ringCapacity() default RING_CAPACITY_DEFAULT;

    @AttributeDefinition(name = "Channels per client", min = "1", max = "65536",
            description = "Most channels (and listeners) one client may hold open at once.")
    int maxChannels() default MAX_CHANNELS_DEFAULT;

    @AttributeDefinition(name = "HELLO timeout (ms)", min = "1",
            description = "How long a connected client may stay silent before its HELLO.")
    long helloTimeoutMillis() default HELLO_TIMEOUT_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Allowed group", min = "-1",
            description = "A gid whose members (primary group, SO_PEERCRED) are admitted besides the node's own uid; -1 = none.")
    int allowedGroup() default ALLOWED_GROUP_NONE;

    @AttributeDefinition(name = "Busy-poll", description = "Node ends spin instead of sleeping in blocking waits (off by default).")
    boolean busyPoll() default false;
}
