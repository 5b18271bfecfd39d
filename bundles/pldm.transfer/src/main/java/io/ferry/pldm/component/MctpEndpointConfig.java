package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the node's MCTP endpoint (PID {@value #PID}). */
@ObjectClassDefinition(id = MctpEndpointConfig.PID, name = "Ferry PLDM MCTP endpoint",
        description = "How PLDM requests reach the node: as the mctp-demux server itself, as a client of an existing demux daemon, or not over a socket at all.")
@interface MctpEndpointConfig {
    String PID = "io.ferry.pldm.mctp";
    String ROLE_SERVER = "server";
    String ROLE_CLIENT = "client";
    String ROLE_OFF = "off";
    String ROLE_DEFAULT = ROLE_SERVER;
    String SOCKET_NAME_DEFAULT = "mctp-mux";
    int SOCKET_NAME_MAX = 100;
    int LOCAL_EID_DEFAULT = 8;
    int MAX_CLIENTS_DEFAULT = 128;
    int MAX_CLIENTS_MAX = 4096;

    @AttributeDefinition(name = "Role",
            description = "server: bind the abstract socket and serve requesters directly (libpldm tools talk to the node); client: connect to an existing mctp-demux daemon; off: no socket (the in-node simulator still works).",
            options = {@Option(value = ROLE_SERVER, label = "demux server"), @Option(value = ROLE_CLIENT, label = "demux client"),
                    @Option(value = ROLE_OFF, label = "off")})
    String role() default ROLE_DEFAULT;

    @AttributeDefinition(name = "Socket name",
            description = "Abstract AF_UNIX socket name without the leading NUL, printable ASCII; mctp-demux-daemon uses mctp-mux.")
    String socketName() default SOCKET_NAME_DEFAULT;

    @AttributeDefinition(name = "Local endpoint id", min = "1", max = "254",
            description = "The MCTP endpoint id the node answers to (libpldm addresses the BMC as 8).")
    int localEid() default LOCAL_EID_DEFAULT;

    @AttributeDefinition(name = "Most clients", min = "1", max = "4096",
            description = "Server role: requesters served at once; more are accepted and closed.")
    int maxClients() default MAX_CLIENTS_DEFAULT;
}
