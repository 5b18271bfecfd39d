package io.ferry.core.buffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free, allocation-free queue for many producers and many consumers (Dmitry
 * Vyukov's array queue): each slot carries a sequence number that says whose turn it is. A
 * producer claims a slot by a compare-and-set on the enqueue position, stores the element and
 * publishes it by a release store of the slot's sequence; a consumer acquires that sequence before
 * reading the element, so whatever the producer wrote before {@link #offer} happens-before what the
 * consumer does after {@link #poll}.
 *
 * <p>Any thread may call any method. {@link #offer} returns false when the queue is full; nothing
 * blocks and nothing allocates.
 */
final class MpmcArrayQueue<E> {
    private final int mask;
    private final AtomicReferenceArray<E> elements;
    private final AtomicLongArray sequences;
    private final AtomicLong enqueuePosition = new AtomicLong();
    private final AtomicLong dequeuePosition = new AtomicLong();

    /** @param capacity a power of two, at least 2 */
    MpmcArrayQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
        }
        this.mask = capacity - 1;
        this.elements = new AtomicReferenceArray<>(capacity);
        this.sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.setPlain(i, i);
        }
    }

    /** @return the number of slots. */
    int capacity() {
        return mask + 1;
    }

    /**
     * Adds {@code element} at the tail.
     *
     * @return false if the queue is full
     */
    boolean offer(E element) {
        long position = enqueuePosition.get();
        for (;;) {
            int index = (int) position & mask;
            long difference = sequences.getAcquire(index) - position;
            if (difference == 0) {
                if (enqueuePosition.compareAndSet(position, position + 1)) {
                    elements.setPlain(index, element);
                    sequences.setRelease(index, position + 1);
                    return true;
                }
                position = enqueuePosition.get();
            } else if (difference < 0) {
                return false;
            } else {
                position = enqueuePosition.get();
            }
        }
    }

    /** @return the head element, or null if the queue is empty. */
    E poll() {
        long position = dequeuePosition.get();
        for (;;) {
            int index = (int) position & mask;
            long difference = sequences.getAcquire(index) - (position + 1);
            if (difference == 0) {
                if (dequeuePosition.compareAndSet(position, position + 1)) {
                    E element = elements.getPlain(index);
                    elements.setPlain(index, null);
                    sequences.setRelease(index, position + mask + 1);
                    return element;
                }
                position = dequeuePosition.get();
            } else if (difference < 0) {
                return null;
            } else {
                position = dequeuePosition.get();
            }
        }
    }

    /** @return the number of elements, exact when no other thread is offering or polling. */
    int size() {
        for (;;) {
            long before = dequeuePosition.get();
            long tail = enqueuePosition.get();
            if (dequeuePosition.get() == before) {
                return (int) Math.max(0, Math.min(tail - before, capacity()));
            }
        }
    }
}
