package io.ferry.netstack.shm.dgram;

import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.ADDRESS_LENGTH_OFFSET;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.HEADER_LENGTH;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.MAX_ADDRESS_LENGTH;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.MAX_PAYLOAD_LENGTH;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.MAX_RECORD_LENGTH;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.TAG;
import static io.ferry.netstack.shm.dgram.DatagramRecordDescriptor.TAG_OFFSET;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Sends and receives datagrams over one {@link StreamChannelEnd}: each datagram is one record
 * ({@link DatagramRecordDescriptor}) written whole into the outgoing ring, or not at all, and read
 * whole from the incoming ring. Every descriptor read is bounds-checked before anything is taken
 * from it: a wrong tag, an address length outside 1..255, or a record that ends beyond the bytes the
 * peer published breaks the channel ({@code -EPROTO} from then on; the owner closes it) and touches
 * nothing else.
 *
 * <p><b>Results</b> are return codes, never exceptions: {@code -EAGAIN} (EWOULDBLOCK) when the
 * outgoing ring lacks room for the whole record or nothing is there to receive (a zero timeout);
 * {@code -EMSGSIZE} for a datagram that can never fit (payload over 65535 bytes, or a record
 * longer than the ring takes at once); {@code -EINVAL} for an address of 0 or more than 255 bytes;
 * {@code -EPIPE} once the peer closed (after what it sent was received); {@code -EPROTO},
 * {@code -EBADF}.
 *
 * <p><b>Threading:</b> one thread at a time (as the end's); nothing allocates per datagram: a
 * record is composed in a buffer made once (at most {@value DatagramRecordDescriptor#MAX_RECORD_LENGTH}
 * bytes), the source address lands in the caller's {@link SourceAddress}.
 */
public final class DatagramEndpoint implements AutoCloseable {
    private final StreamChannelEnd end;
    private final int maxRecord;
    private final ByteBuffer record;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer discard = ByteBuffer.allocate(4096);
    private long sent;
    private long received;
    private long truncated;

    /** @param end the channel end this endpoint owns from now on (closed with it) */
    public DatagramEndpoint(StreamChannelEnd end) {
        this.end = end;
        this.maxRecord = Math.min(end.maxWholeWrite(), MAX_RECORD_LENGTH);
        this.record = ByteBuffer.allocateDirect(Math.max(maxRecord, HEADER_LENGTH)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the largest payload a datagram to an address of {@code addressLength} bytes may carry (-1: none). */
    public int maxPayload(int addressLength) {
        return DatagramRecordDescriptor.maxPayload(maxRecord, addressLength);
    }

    /**
     * Sends one datagram of {@code payload.remaining()} bytes to {@code address} (UTF-8 bytes
     * {@code [0, addressLength)}), waiting at most {@code timeoutNanos} for room ({@code 0}: not at
     * all). {@code payload}'s position advances only when the datagram was sent.
     *
     * @return the payload length sent, or a negative errno (class doc)
     */
    public int send(byte[] address, int addressLength, ByteBuffer payload, long timeoutNanos) {
        if (addressLength < 1 || addressLength > MAX_ADDRESS_LENGTH || addressLength > address.length) {
            return -Errno.EINVAL;
        }
        int n = payload.remaining();
        if (n > MAX_PAYLOAD_LENGTH || DatagramRecordDescriptor.recordLength(addressLength, n) > maxRecord) {
            return -Errno.EMSGSIZE;
        }
        record.clear();
        record.putInt(TAG).putShort((short) addressLength).putShort((short) n);
        record.put(address, 0, addressLength);
        int start = payload.position();
        record.put(payload);
        payload.position(start);
        record.flip();
        int r = end.writeWhole(record, timeoutNanos);
        if (r < 0) {
            return r;
        }
        payload.position(start + n);
        sent++;
        return n;
    }

    /**
     * Receives one datagram: copies its payload into {@code dst} (what does not fit is dropped and
     * {@link SourceAddress#truncated()} says so) and its address into {@code from}, waiting at
     * most {@code timeoutNanos} for one to arrive ({@code 0}: not at all).
     *
     * @return the datagram's full payload length (more than was copied when truncated), or a
     *     negative errno (class doc)
     */
    public int receive(ByteBuffer dst, SourceAddress from, long timeoutNanos) {
        header.clear();
        int r = timeoutNanos == 0 ? end.read(header) : end.read(header, timeoutNanos);
        if (r < 0) {
            return r;
        }
        if (r == 0) {
            return -Errno.EPIPE; // end of stream: the peer closed its endpoint
        }
        if (header.hasRemaining()) {
            r = end.read(header); // an honest peer published the whole record at once
            if (r < 0 && r != -Errno.EAGAIN) {
                return r;
            }
            if (header.hasRemaining()) {
                return end.breakChannel(); // the published bytes end inside a descriptor
            }
        }
        // Copied out of shared memory before checking: the peer cannot change them under us.
        int tag = header.getInt(TAG_OFFSET);
        int addressLength = Short.toUnsignedInt(header.getShort(ADDRESS_LENGTH_OFFSET));
        int payloadLength = Short.toUnsignedInt(header.getShort(PAYLOAD_LENGTH_OFFSET));
        if (tag != TAG || addressLength < 1 || addressLength > MAX_ADDRESS_LENGTH) {
            return end.breakChannel();
        }
        int readable = end.readable();
        if (readable < 0) {
            return readable;
        }
        if (readable < addressLength + payloadLength) {
            return end.breakChannel(); // the record would run beyond what the peer published
        }
        from.buffer.clear().limit(addressLength);
        if (!readExactly(from.buffer)) {
            return end.breakChannel();
        }
        from.length = addressLength;
        int copy = Math.min(payloadLength, dst.remaining());
        int limit = dst.limit();
        dst.limit(dst.position() + copy);
        boolean ok = readExactly(dst);
        dst.limit(limit);
        if (!ok) {
            return end.breakChannel();
        }
        int rest = payloadLength - copy;
        while (rest > 0) {
            discard.clear().limit(Math.min(rest, discard.capacity()));
            if (!readExactly(discard)) {
                return end.breakChannel();
            }
            rest -= discard.limit();
        }
        from.truncated = copy < payloadLength;
        if (from.truncated) {
            truncated++;
        }
        received++;
        return payloadLength;
    }

    /** Reads until {@code b} is full from bytes already published; false if they ran out. */
    private boolean readExactly(ByteBuffer b) {
        while (b.hasRemaining()) {
            int n = end.read(b);
            if (n <= 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the channel end underneath (its fds to poll: {@link StreamChannelEnd#readFd()}, {@link StreamChannelEnd#writeFd()}). */
    public StreamChannelEnd end() {
        return end;
    }

    /** @return datagrams sent. */
    public long sent() {
        return sent;
    }

    /** @return datagrams received. */
    public long received() {
        return received;
    }

    /** @return datagrams received whose payload did not fit the buffer given. */
    public long truncatedCount() {
        return truncated;
    }

    /** @return true once a hostile descriptor (or index) broke the channel. */
    public boolean isBroken() {
        return end.isBroken();
    }

    /** Closes the channel end (the peer's receive reports {@code -EPIPE} once it drained). Idempotent. */
    @Override
    public void close() {
        end.close();
    }
}
