package io.ferry.pldm.mctp;

import java.nio.ByteBuffer;

/**
 * The bounded queue of framed packets of one link whose socket was full: a ring of reusable
 * direct buffers, each grown on demand (to a power of two, at most the largest packet) and kept
 * for reuse, so a link under steady back-pressure stops allocating. Owned by one event-center
 * thread; not thread-safe.
 */
final class SendQueue {
    private static final int MIN_SLOT = 256;

    private final ByteBuffer[] slots;
    private final int maxPacket;
    private int head;
    private int size;

    SendQueue(int capacity, int maxPacket) {
        this.slots = new ByteBuffer[capacity];
        this.maxPacket = maxPacket;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == slots.length;
    }

    int size() {
        return size;
    }

    /** Frames {@code message} into the next free slot; the caller checked {@link #isFull()}. */
    void offer(int eid, ByteBuffer message) {
        int index = (head + size) % slots.length;
        int needed = MctpFraming.PREFIX_LENGTH + message.remaining();
        ByteBuffer slot = slots[index];
        if (slot == null || slot.capacity() < needed) {
            int grown = Math.min(Math.max(MIN_SLOT, Integer.highestOneBit(needed - 1) << 1), Math.max(needed, maxPacket));
            slot = ByteBuffer.allocateDirect(Math.max(grown, needed));
            slots[index] = slot;
        }
        MctpFraming.encode(slot, eid, MctpFraming.TYPE_PLDM, message);
        size++;
    }

    /** @return the oldest packet, position 0 to its length; null when empty. */
    ByteBuffer peek() {
        return size == 0 ? null : slots[head];
    }

    /** Drops the oldest packet (after it was sent). */
    void pop() {
        head = (head + 1) % slots.length;
        size--;
    }

    /** Drops every packet and releases the buffers. @return how many packets were dropped */
    int clear() {
        int dropped = size;
        java.util.Arrays.fill(slots, null);
        head = 0;
        size = 0;
        return dropped;
    }
}
