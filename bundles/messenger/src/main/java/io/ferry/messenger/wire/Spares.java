package io.ferry.messenger.wire;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed number of slots holding freed {@link CountedBuffer}s for reuse, in ranges a caller picks
 * (one range per size class, or one for all). A freed buffer goes to the lowest empty slot and the
 * highest filled one is taken first: a stack, so the buffer freed last is used next, its memory
 * the likeliest to still be in the CPU's cache.
 *
 * <p><b>Threading:</b> {@link #take} and {@link #put} from any thread (compare-and-set per slot);
 * a buffer coming back to a full range is left to the collector.
 */
final class Spares<T extends CountedBuffer> {
    private final AtomicReferenceArray<T> slots;

    Spares(int slots) {
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** @return a buffer from slots {@code from} (inclusive) to {@code to} (exclusive), given its creator's reference again; or null */
    T take(int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            T b = slots.get(i);
            if (b != null && slots.compareAndSet(i, b, null)) {
                b.reuse();
                return b;
            }
        }
        return null;
    }

    /** Keeps a freed buffer in the first empty slot of {@code from..to}. @return false if all were full */
    boolean put(T buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, buffer)) {
                return true;
            }
        }
        return false;
    }

    /** @return buffers waiting in {@code from..to} (for tests and statistics) */
    int count(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
