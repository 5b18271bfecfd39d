package io.ferry.api.msgr;

import io.ferry.api.buffer.BufferList;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A message (Ceph's {@code Message}): a type, a priority, a transaction id and three payload
 * sections (front, middle, data) held as {@link BufferList}s, so payloads are never copied by the
 * messenger: it writes views of the sections' segments straight to the socket.
 *
 * <p><b>Ownership:</b> whoever holds a message owns it. {@link Connection#send(Message)} hands it to
 * the messenger, which releases it once it is no longer needed (written, for lossy connections;
 * acknowledged by the peer, for lossless ones); the sender must not touch it afterwards. A received
 * message is owned by the dispatcher that accepted it, which must call {@link #release()} when done:
 * that returns its bytes to the receive throttle, and a dispatcher that holds messages makes the
 * connection stop reading instead of growing memory. The segments of a received message's
 * sections may be read-only views of the messenger's receive memory (their crcs already verified,
 * so a message sent on is not checksummed again): a dispatcher that wants to change bytes copies
 * them first.
 *
 * <p><b>Threading:</b> a message is used by one thread at a time; {@link #release()} may be called
 * from any thread, once (later calls do nothing).
 */
public final class Message {
    /** Ceph's {@code CEPH_MSG_PRIO_LOW}. */
    public static final int PRIORITY_LOW = 64;
    /** Ceph's {@code CEPH_MSG_PRIO_DEFAULT}. */
    public static final int PRIORITY_DEFAULT = 127;
    /** Ceph's {@code CEPH_MSG_PRIO_HIGH}. */
    public static final int PRIORITY_HIGH = 196;
    /** Ceph's {@code CEPH_MSG_PRIO_HIGHEST}; also where unacknowledged messages are requeued after a fault. */
    public static final int PRIORITY_HIGHEST = 255;

    /** {@code CEPH_MSG_PING}: a monitor answers it with a ping whose front is a JSON health report. */
    public static final int TYPE_PING = 0x02;

    /** In {@link #releaseHook} once released. */
    private static final Object RELEASED = new Object();
    private static final VarHandle RELEASE_HOOK;

    static {
        try {
            RELEASE_HOOK = MethodHandles.lookup().findVarHandle(Message.class, "releaseHook", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int type;
    private int priority = PRIORITY_DEFAULT;
    private long tid;
    private int version = 1;
    private int compatVersion = 1;
    private int dataOffset;
    private long seq;
    private EntityName source;
    private final BufferList front;
    private final BufferList middle;
    private final BufferList data;
    /** null, a {@link Runnable}, a {@link LongConsumer} (given {@link #releaseValue}), or {@link #RELEASED}. */
    private volatile Object releaseHook;
    /** The value a {@link LongConsumer} hook is given; written before the hook is published. */
    private long releaseValue;

    /** A message of {@code type} with empty sections. */
    public Message(int type) {
        this(type, new BufferList(), new BufferList(), new BufferList());
    }

    /** A message taking ownership of the three sections (none may be null; empty is fine). */
    public Message(int type, BufferList front, BufferList middle, BufferList data) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("message type must fit in 16 bits: " + type);
        }
        this.type = type;
        this.front = Objects.requireNonNull(front, "front");
        this.middle = Objects.requireNonNull(middle, "middle");
        this.data = Objects.requireNonNull(data, "data");
    }

    public int type() {
        return type;
    }

    public int priority() {
        return priority;
    }

    /** @param value 0..65535; the connection sends higher priorities first */
    public Message priority(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("priority must fit in 16 bits: " + value);
        }
        this.priority = value;
        return this;
    }

    public long tid() {
        return tid;
    }

    public Message tid(long value) {
        this.tid = value;
        return this;
    }

    /** @return the encoding version of the payload (header field {@code version}). */
    public int version() {
        return version;
    }

    public Message version(int value) {
        this.version = value & 0xFFFF;
        return this;
    }

    public int compatVersion() {
        return compatVersion;
    }

    public Message compatVersion(int value) {
        this.compatVersion = value & 0xFFFF;
        return this;
    }

    /** @return the header's {@code data_off} (a hint for aligning the data section). */
    public int dataOffset() {
        return dataOffset;
    }

    public Message dataOffset(int value) {
        this.dataOffset = value & 0xFFFF;
        return this;
    }

    /** @return the sequence number the connection gave it (0 until sent or when built locally). */
    public long seq() {
        return seq;
    }

    /** For messenger implementations: sets the sequence number written in the header. */
    public void seq(long value) {
        this.seq = value;
    }

    /** @return the sender's name from the header of a received message, or null. */
    public EntityName source() {
        return source;
    }

    /** For messenger implementations: records the sender of a received message. */
    public void source(EntityName value) {
        this.source = value;
    }

    public BufferList front() {
        return front;
    }

    public BufferList middle() {
        return middle;
    }

    public BufferList data() {
        return data;
    }

    /** @return the bytes of all three sections. */
    public long payloadLength() {
        return front.length() + middle.length() + data.length();
    }

    /**
     * For messenger implementations: runs {@code hook} once, on the thread that calls
     * {@link #release()} (for example to give bytes back to a throttle). Replaces an earlier hook.
     *
     * @return false if the message was already released (the hook is not kept)
     */
    public boolean onRelease(Runnable hook) {
        return setReleaseHook(Objects.requireNonNull(hook), 0);
    }

    /**
     * For messenger implementations: as {@link #onRelease(Runnable)}, with a hook that is handed
     * {@code value} (for example the payload bytes to give back to a throttle), so one hook object
     * can serve every message instead of a capturing lambda per message.
     *
     * @return false if the message was already released (the hook is not kept)
     * @since 1.1
     */
    public boolean onRelease(LongConsumer hook, long value) {
        return setReleaseHook(Objects.requireNonNull(hook), value);
    }

    private boolean setReleaseHook(Object hook, long value) {
        while (true) {
            Object current = releaseHook;
            if (current == RELEASED) {
                return false;
            }
            // the message is used by one thread at a time: no other onRelease races this store,
            // only a release() from another thread, which the CAS below orders against
            releaseValue = value;
            if (RELEASE_HOOK.compareAndSet(this, current, hook)) {
                return true;
            }
        }
    }

    /** @return true once {@link #release()} ran. */
    public boolean isReleased() {
        return releaseHook == RELEASED;
    }

    /**
     * Drops the sections (releasing pooled memory) and runs the release hook. Idempotent; any thread.
     *
     * @return true if this call released the message
     */
    public boolean release() {
        Object hook = RELEASE_HOOK.getAndSet(this, RELEASED);
        if (hook == RELEASED) {
            return false;
        }
        front.clear();
        middle.clear();
        data.clear();
        if (hook instanceof LongConsumer c) {
            c.accept(releaseValue);
        } else if (hook != null) {
            ((Runnable) hook).run();
        }
        return true;
    }

    @Override
    public String toString() {
        return "Message[type=0x" + Integer.toHexString(type) + " prio=" + priority + " seq=" + seq + " tid=" + tid
                + " front=" + front.length() + " middle=" + middle.length() + " data=" + data.length() + "]";
    }
}
