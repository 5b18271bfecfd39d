package io.ferry.bench.shm;

import java.nio.ByteBuffer;

/**
 * The benchmark's message format, the same on every link: fixed-size messages whose first byte
 * says what the far end does with it. The far end answers {@link #FLUSH} and {@link #PING} with
 * one message of the same size; {@link #DATA} gets no answer.
 *
 * <p>{@link Parser} splits a byte stream into messages; it is confined to one thread.
 */
final class Wire {
    /** Streamed payload: counted by the far end, not answered. */
    static final byte DATA = 0;
    /** Ends a throughput window: answered once every byte before it has been consumed. */
    static final byte FLUSH = 1;
    /** A ping-pong message: answered at once. */
    static final byte PING = 2;

    private Wire() {
    }

    /** @return a direct buffer of {@code size} bytes whose first byte is {@code kind}, the rest a fill pattern. */
    static ByteBuffer message(int size, byte kind) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (i * 31 + 7));
        }
        b.put(0, kind);
        return b;
    }

    /**
     * Finds message boundaries in a byte stream of fixed-size messages and counts the messages
     * that want an answer. Allocates nothing.
     */
    static final class Parser {
        private final int messageSize;
        private int seen;
        private byte kind;

        Parser(int messageSize) {
            this.messageSize = messageSize;
        }

        /**
         * Consumes {@code chunk} from its position to its limit.
         *
         * @return how many answers the messages completed in this chunk ask for
         */
        int consume(ByteBuffer chunk) {
            int answers = 0;
            int p = chunk.position();
            int limit = chunk.limit();
            while (p < limit) {
                if (seen == 0) {
                    kind = chunk.get(p);
                }
                int take = Math.min(limit - p, messageSize - seen);
                p += take;
                seen += take;
                if (seen == messageSize) {
                    seen = 0;
                    if (kind != DATA) {
                        answers++;
                    }
                }
            }
            chunk.position(limit);
            return answers;
        }
    }
}
