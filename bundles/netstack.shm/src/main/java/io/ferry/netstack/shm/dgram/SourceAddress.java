package io.ferry.netstack.shm.dgram;

import io.ferry.netstack.shm.client.ShmAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where a received datagram came from (or, in a sender's own ring, where it goes): the address
 * bytes of the last record {@link DatagramEndpoint#receive} returned, plus whether its payload was
 * cut to fit the caller's buffer. Reused from call to call so that receiving allocates nothing; one
 * thread at a time.
 */
public final class SourceAddress {
    private final byte[] bytes = new byte[DatagramRecordDescriptor.MAX_ADDRESS_LENGTH];
    final ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int length;
    boolean truncated;

    /** @return the address length in bytes (0 before the first datagram). */
    public int length() {
        return length;
    }

    /** @return the address byte at {@code i}, {@code 0 <= i < length()}. */
    public byte byteAt(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(i);
        }
        return bytes[i];
    }

    /**
     * Copies the address bytes into {@code dst} (at least {@value DatagramRecordDescriptor#MAX_ADDRESS_LENGTH}
     * bytes long), so that a router can look the name up without making a string.
     *
     * @return the address length
     */
    public int copyTo(byte[] dst) {
        System.arraycopy(bytes, 0, dst, 0, length);
        return length;
    }

    /** @return true if the last datagram's payload was longer than the buffer given (the rest was dropped). */
    public boolean truncated() {
        return truncated;
    }

    /** @return the address as a string (allocates). */
    public String asString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** @return the address as an {@link ShmAddress} (allocates). */
    public ShmAddress toAddress() {
        return ShmAddress.of(asString());
    }

    @Override
    public String toString() {
        return asString();
    }
}
