package io.ferry.pldm.mctp;

/**
 * Settings of the mctp-demux transports, with defaults that work on a fresh machine. Immutable;
 * any thread. (A ConfigAdmin/metatype component will map its properties onto this.)
 *
 * @param socketName the abstract socket name without the leading NUL ({@value MctpFraming#DEFAULT_SOCKET_NAME});
 *     tests use unique names so that parallel runs do not clash
 * @param localEid the endpoint id Ferry answers to as a demux server (libpldm's requesters
 *     address the BMC as 8 by default); packets to any other eid are dropped and counted
 * @param maxMessageLength the longest PLDM message (header and payload) sent or received
 * @param queueCapacity packets queued per link while its socket is full; beyond it
 *     {@link MctpTransport#BACK_PRESSURED}
 * @param malformedLimit malformed or wrongly typed packets after which a server closes that client
 * @param maxClients clients a server serves at once; more are accepted and closed at once
 * @param registrationTimeoutMillis how long a new client may take to send its type byte
 */
public record MctpConfig(String socketName, int localEid, int maxMessageLength, int queueCapacity,
        int malformedLimit, int maxClients, long registrationTimeoutMillis) {
    public static final String SOCKET_NAME_DEFAULT = MctpFraming.DEFAULT_SOCKET_NAME;
    public static final int LOCAL_EID_DEFAULT = 8;
    /** 64 KiB: far above the 4 KiB inline file chunks and any base command. */
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 64 * 1024;
    public static final int QUEUE_CAPACITY_DEFAULT = 64;
    public static final int MALFORMED_LIMIT_DEFAULT = 16;
    public static final int MAX_CLIENTS_DEFAULT = 128;
    public static final long REGISTRATION_TIMEOUT_MILLIS_DEFAULT = 5_000;

    public MctpConfig {
        if (socketName == null || socketName.isEmpty()) {
            throw new IllegalArgumentException("socketName must not be empty");
        }
        if (!MctpFraming.isUnicastEid(localEid)) {
            throw new IllegalArgumentException("localEid must be 1..254, not " + localEid);
        }
        if (maxMessageLength < MctpFraming.MIN_PLDM_MESSAGE) {
            throw new IllegalArgumentException("maxMessageLength too small: " + maxMessageLength);
        }
        if (queueCapacity < 1 || malformedLimit < 1 || maxClients < 1 || registrationTimeoutMillis < 1) {
            throw new IllegalArgumentException("queueCapacity, malformedLimit, maxClients and registrationTimeoutMillis must be positive");
        }
    }

    /** @return the defaults. */
    public static MctpConfig defaults() {
        return new MctpConfig(SOCKET_NAME_DEFAULT, LOCAL_EID_DEFAULT, MAX_MESSAGE_LENGTH_DEFAULT, QUEUE_CAPACITY_DEFAULT,
                MALFORMED_LIMIT_DEFAULT, MAX_CLIENTS_DEFAULT, REGISTRATION_TIMEOUT_MILLIS_DEFAULT);
    }

    /** @return a copy with another socket name. */
    public MctpConfig withSocketName(String name) {
        return new MctpConfig(name, localEid, maxMessageLength, queueCapacity, malformedLimit, maxClients,
                registrationTimeoutMillis);
    }

    /** @return a copy with another local eid. */
    public MctpConfig withLocalEid(int eid) {
        return new MctpConfig(socketName, eid, maxMessageLength, queueCapacity, malformedLimit, maxClients,
                registrationTimeoutMillis);
    }

    /** @return a copy with other limits. */
    public MctpConfig withLimits(int queue, int malformed, int clients, long registrationMillis) {
        return new MctpConfig(socketName, localEid, maxMessageLength, queue, malformed, clients, registrationMillis);
    }
}
