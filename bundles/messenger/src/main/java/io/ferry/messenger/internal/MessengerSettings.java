package io.ferry.messenger.internal;

import io.ferry.api.msgr.EntityName;
import io.ferry.api.net.SocketOptions;
import io.ferry.messenger.wire.FrameReader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Everything an {@link AsyncMessenger} is configured with. Immutable; any thread.
 *
 * @param name the messenger's name (service property {@code ferry.messenger.name})
 * @param myName who we are ({@code client.4123}, {@code osd.0})
 * @param nonce the address nonce (tells this incarnation from earlier ones on the same address)
 * @param maxMessageBytes largest front + middle + data accepted from a peer
 * @param throttleMessages received messages held by dispatchers (not yet released) before reading stops
 * @param throttleBytes received payload bytes held by dispatchers before reading stops
 * @param keepaliveIntervalNanos how often an open connection sends KEEPALIVE2 (0: never)
 * @param keepaliveTimeoutNanos an open connection that hears nothing for this long faults (0: never)
 * @param connectTimeoutNanos a handshake that does not finish in this time faults
 * @param initialBackoffNanos first wait before reconnecting after a failed attempt (Ceph: 0.2 s)
 * @param maxBackoffNanos longest wait (Ceph: 15 s); WAIT jumps straight to it
 * @param protocolVersionOverride protocol version to announce instead of Ceph's table (0: the table)
 * @param socketOptions options for the stack's sockets
 * @param crcData compute and check the data section's crc32c (Ceph's {@code ms_crc_data}); when
 *     false, sent messages carry data crc 0 with footer flag NOCRC and received data crcs are not
 *     checked. The header, front and middle crcs are always computed and checked.
 */
public record MessengerSettings(String name, EntityName myName, int nonce, long maxMessageBytes, int throttleMessages,
        long throttleBytes, long keepaliveIntervalNanos, long keepaliveTimeoutNanos, long connectTimeoutNanos,
        long initialBackoffNanos, long maxBackoffNanos, int protocolVersionOverride, SocketOptions socketOptions,
        boolean crcData) {

    /** @throws IllegalArgumentException if {@code maxMessageBytes} is not 1..{@link FrameReader#MAX_MESSAGE_BYTES_LIMIT} */
    public MessengerSettings {
        if (maxMessageBytes < 1 || maxMessageBytes > FrameReader.MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " must be 1.."
                    + FrameReader.MAX_MESSAGE_BYTES_LIMIT);
        }
    }

    /** Settings with data crcs on (as Ceph's default). */
    public MessengerSettings(String name, EntityName myName, int nonce, long maxMessageBytes, int throttleMessages,
            long throttleBytes, long keepaliveIntervalNanos, long keepaliveTimeoutNanos, long connectTimeoutNanos,
            long initialBackoffNanos, long maxBackoffNanos, int protocolVersionOverride, SocketOptions socketOptions) {
        this(name, myName, nonce, maxMessageBytes, throttleMessages, throttleBytes, keepaliveIntervalNanos,
                keepaliveTimeoutNanos, connectTimeoutNanos, initialBackoffNanos, maxBackoffNanos, protocolVersionOverride,
                socketOptions, true);
    }

    public static final long MAX_MESSAGE_BYTES_DEFAULT = 64L << 20;
    public static final int THROTTLE_MESSAGES_DEFAULT = 4096;
    public static final long THROTTLE_BYTES_DEFAULT = 100L << 20;

    /** Defaults as Ceph's: 0.2 s to 15 s back-off, 30 s handshake timeout, keepalive off. */
    public static MessengerSettings defaults(String name, EntityName myName) {
        return new MessengerSettings(name, myName, ThreadLocalRandom.current().nextInt() & 0x7fffffff,
                MAX_MESSAGE_BYTES_DEFAULT, THROTTLE_MESSAGES_DEFAULT, THROTTLE_BYTES_DEFAULT, 0, 0,
                TimeUnit.SECONDS.toNanos(30), TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(15), 0,
                SocketOptions.DEFAULT, true);
    }

    public MessengerSettings withThrottle(int messages, long bytes) {
        return new MessengerSettings(name, myName, nonce, maxMessageBytes, messages, bytes, keepaliveIntervalNanos,
                keepaliveTimeoutNanos, connectTimeoutNanos, initialBackoffNanos, maxBackoffNanos, protocolVersionOverride,
                socketOptions, crcData);
    }

    public MessengerSettings withKeepalive(long intervalNanos, long timeoutNanos) {
        return new MessengerSettings(name, myName, nonce, maxMessageBytes, throttleMessages, throttleBytes, intervalNanos,
                timeoutNanos, connectTimeoutNanos, initialBackoffNanos, maxBackoffNanos, protocolVersionOverride,
                socketOptions, crcData);
    }

    public MessengerSettings withBackoff(long initialNanos, long maxNanos) {
        return new MessengerSettings(name, myName, nonce, maxMessageBytes, throttleMessages, throttleBytes,
                keepaliveIntervalNanos, keepaliveTimeoutNanos, connectTimeoutNanos, initialNanos, maxNanos,
                protocolVersionOverride, socketOptions, crcData);
    }

    public MessengerSettings withProtocolVersionOverride(int version) {
        return new MessengerSettings(name, myName, nonce, maxMessageBytes, throttleMessages, throttleBytes,
                keepaliveIntervalNanos, keepaliveTimeoutNanos, connectTimeoutNanos, initialBackoffNanos, maxBackoffNanos,
                version, socketOptions, crcData);
    }

    public MessengerSettings withConnectTimeout(long nanos) {
        return new MessengerSettings(name, myName, nonce, maxMessageBytes, throttleMessages, throttleBytes,
                keepaliveIntervalNanos, keepaliveTimeoutNanos, nanos, initialBackoffNanos, maxBackoffNanos,
                protocolVersionOverride, socketOptions, crcData);
    }

    public MessengerSettings withMaxMessageBytes(long bytes) {
        return new MessengerSettings(name, myName, nonce, bytes, throttleMessages, throttleBytes, keepaliveIntervalNanos,
                keepaliveTimeoutNanos, connectTimeoutNanos, initialBackoffNanos, maxBackoffNanos, protocolVersionOverride,
                socketOptions, crcData);
    }

    /** @param value false to skip data crcs (footer flag NOCRC on send, no check on receive) */
    public MessengerSettings withCrcData(boolean value) {
        return new MessengerSettings(name, myName, nonce, maxMessageBytes, throttleMessages, throttleBytes,
                keepaliveIntervalNanos, keepaliveTimeoutNanos, connectTimeoutNanos, initialBackoffNanos, maxBackoffNanos,
                protocolVersionOverride, socketOptions, value);
    }
}
