package io.ferry.messenger.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of a messenger (PID {@value #PID}; also a factory PID, one messenger per factory
 * configuration). Property names are the method names with {@code _} read as {@code .}.
 */
@ObjectClassDefinition(id = MessengerConfig.PID, name = "Ferry messenger",
        description = "A Ceph-style messenger (msgr v1) on a Ferry network stack.")
@interface MessengerConfig {
    String PID = "io.ferry.messenger";
    String NAME_DEFAULT = "ferry";
    String ENTITY_TYPE_DEFAULT = "osd";
    long ENTITY_NUM_DEFAULT = 0;
    String BIND_DEFAULT = "127.0.0.1:0";
    long NONCE_DEFAULT = 0;
    String STACK_TARGET_DEFAULT = "(ferry.stack=posix)";
    String POLICY_DEFAULT = "lossless_peer";
    int THROTTLE_MESSAGES_DEFAULT = 4096;
    long THROTTLE_BYTES_DEFAULT = 100L << 20;
    long MAX_MESSAGE_BYTES_DEFAULT = 64L << 20;
    long KEEPALIVE_INTERVAL_MS_DEFAULT = 0;
    long KEEPALIVE_TIMEOUT_MS_DEFAULT = 0;
    boolean CRC_DEFAULT = true;
    boolean ANSWER_PING_DEFAULT = true;

    @AttributeDefinition(name = "Name", description = "The messenger's name: service property ferry.messenger.name.")
    String name() default NAME_DEFAULT;

    @AttributeDefinition(name = "Entity type", description = "Who this messenger is (the connect message's host_type).",
            options = {@Option(value = "mon", label = "mon"), @Option(value = "mds", label = "mds"),
                    @Option(value = "osd", label = "osd"), @Option(value = "client", label = "client"),
                    @Option(value = "mgr", label = "mgr")})
    String entity_type() default ENTITY_TYPE_DEFAULT;

    @AttributeDefinition(name = "Entity number", description = "The number in osd.N, client.N (-1: not assigned).")
    long entity_num() default ENTITY_NUM_DEFAULT;

    @AttributeDefinition(name = "Bind address",
            description = "host:port to listen on (port 0 picks one; [v6]:port for IPv6); empty: client only, no listener.")
    String bind() default BIND_DEFAULT;

    @AttributeDefinition(name = "Nonce",
            description = "Address nonce, 1..2147483647, so that lossless peers find this messenger again after a restart; 0: a random one per start.")
    long nonce() default NONCE_DEFAULT;

    @AttributeDefinition(name = "Network stack",
            description = "LDAP filter selecting the NetworkStack service, by ferry.stack: (ferry.stack=posix), later (ferry.stack=shm).")
    String stack_target() default STACK_TARGET_DEFAULT;

    @AttributeDefinition(name = "Default policy", description = "Policy for peers without their own.",
            options = {@Option(value = "stateful_server", label = "stateful_server"),
                    @Option(value = "stateless_server", label = "stateless_server"),
                    @Option(value = "lossless_peer", label = "lossless_peer"),
                    @Option(value = "lossless_peer_reuse", label = "lossless_peer_reuse"),
                    @Option(value = "lossy_client", label = "lossy_client"),
                    @Option(value = "lossless_client", label = "lossless_client")})
    String policy_default() default POLICY_DEFAULT;

    @AttributeDefinition(name = "Policies by peer type", required = false,
            description = "Entries type=policy, such as client=stateless_server or osd=lossless_peer.")
    String[] policies() default {};

    @AttributeDefinition(name = "Throttle: messages", min = "1",
            description = "Received messages dispatchers may hold before the messenger stops reading.")
    int throttle_messages() default THROTTLE_MESSAGES_DEFAULT;

    @AttributeDefinition(name = "Throttle: bytes", min = "1",
            description = "Received payload bytes dispatchers may hold before the messenger stops reading.")
    long throttle_bytes() default THROTTLE_BYTES_DEFAULT;

    @AttributeDefinition(name = "Largest message", min = "1", description = "Largest front+middle+data accepted, in bytes.")
    long max_message_bytes() default MAX_MESSAGE_BYTES_DEFAULT;

    @AttributeDefinition(name = "Keepalive interval (ms)", min = "0",
            description = "How often open connections send KEEPALIVE2; 0: never.")
    long keepalive_interval_ms() default KEEPALIVE_INTERVAL_MS_DEFAULT;

    @AttributeDefinition(name = "Keepalive timeout (ms)", min = "0",
            description = "An open connection that hears nothing for this long faults; 0: never.")
    long keepalive_timeout_ms() default KEEPALIVE_TIMEOUT_MS_DEFAULT;

    @AttributeDefinition(name = "CRC", type = AttributeType.BOOLEAN,
            description = "crc32c of the data section (Ceph's ms_crc_data); off: footer flag NOCRC, not checked on receipt. Header, front and middle crcs are always on.")
    boolean crc() default CRC_DEFAULT;

    @AttributeDefinition(name = "Answer pings", type = AttributeType.BOOLEAN,
            description = "Answer an MPing with an empty front by an MPing naming this messenger (msgr:ping between Ferry nodes).")
    boolean answer_ping() default ANSWER_PING_DEFAULT;
}
