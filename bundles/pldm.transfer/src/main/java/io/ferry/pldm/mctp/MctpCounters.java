package io.ferry.pldm.mctp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one transport. Written only by the owning event-center thread (plain read,
 * release store: no lock, no atomic read-modify-write), read from any thread with acquire
 * semantics, so a reader sees each value as it was at some recent moment.
 */
public final class MctpCounters {
    private static final VarHandle SENT;
    private static final VarHandle RECEIVED;
    private static final VarHandle MALFORMED;
    private static final VarHandle UNKNOWN_TYPE;
    private static final VarHandle UNKNOWN_EID;
    private static final VarHandle BACK_PRESSURED;
    private static final VarHandle DROPPED_ON_CLOSE;
    private static final VarHandle ACCEPTED;
    private static final VarHandle REJECTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SENT = l.findVarHandle(MctpCounters.class, "sent", long.class);
            RECEIVED = l.findVarHandle(MctpCounters.class, "received", long.class);
            MALFORMED = l.findVarHandle(MctpCounters.class, "droppedMalformed", long.class);
            UNKNOWN_TYPE = l.findVarHandle(MctpCounters.class, "droppedUnknownType", long.class);
            UNKNOWN_EID = l.findVarHandle(MctpCounters.class, "droppedUnknownEid", long.class);
            BACK_PRESSURED = l.findVarHandle(MctpCounters.class, "backPressured", long.class);
            DROPPED_ON_CLOSE = l.findVarHandle(MctpCounters.class, "droppedOnClose", long.class);
            ACCEPTED = l.findVarHandle(MctpCounters.class, "clientsAccepted", long.class);
            REJECTED = l.findVarHandle(MctpCounters.class, "clientsRejected", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long sent;
    @SuppressWarnings("unused") private long received;
    @SuppressWarnings("unused") private long droppedMalformed;
    @SuppressWarnings("unused") private long droppedUnknownType;
    @SuppressWarnings("unused") private long droppedUnknownEid;
    @SuppressWarnings("unused") private long backPressured;
    @SuppressWarnings("unused") private long droppedOnClose;
    @SuppressWarnings("unused") private long clientsAccepted;
    @SuppressWarnings("unused") private long clientsRejected;

    private static void add(VarHandle h, MctpCounters c, long n) {
        h.setRelease(c, (long) h.get(c) + n);
    }

    void countSent() { add(SENT, this, 1); }
    void countReceived() { add(RECEIVED, this, 1); }
    void countMalformed() { add(MALFORMED, this, 1); }
    void countUnknownType() { add(UNKNOWN_TYPE, this, 1); }
    void countUnknownEid() { add(UNKNOWN_EID, this, 1); }
    void countBackPressured() { add(BACK_PRESSURED, this, 1); }
    void countDroppedOnClose(long n) { add(DROPPED_ON_CLOSE, this, n); }
    void countAccepted() { add(ACCEPTED, this, 1); }
    void countRejected() { add(REJECTED, this, 1); }

    /** @return packets written to the socket (or handed to the in-JVM peer). */
    public long sent() { return (long) SENT.getAcquire(this); }
    /** @return PLDM messages delivered to the receiver. */
    public long received() { return (long) RECEIVED.getAcquire(this); }
    /** @return packets dropped as malformed: shorter than prefix and PLDM header, or truncated. */
    public long droppedMalformed() { return (long) MALFORMED.getAcquire(this); }
    /** @return packets dropped because their MCTP type byte was not PLDM's. */
    public long droppedUnknownType() { return (long) UNKNOWN_TYPE.getAcquire(this); }
    /** @return packets dropped because a demux server's client addressed an eid other than the server's. */
    public long droppedUnknownEid() { return (long) UNKNOWN_EID.getAcquire(this); }
    /** @return sends refused with {@link MctpTransport#BACK_PRESSURED}. */
    public long backPressured() { return (long) BACK_PRESSURED.getAcquire(this); }
    /** @return queued packets dropped because their link closed before they could be flushed. */
    public long droppedOnClose() { return (long) DROPPED_ON_CLOSE.getAcquire(this); }
    /** @return client connections accepted by a demux server. */
    public long clientsAccepted() { return (long) ACCEPTED.getAcquire(this); }
    /** @return client connections a demux server closed for cause (non-PLDM type, abuse, no registration in time, too many clients). */
    public long clientsRejected() { return (long) REJECTED.getAcquire(this); }

    @Override
    public String toString() {
        return "sent " + sent() + ", received " + received() + ", malformed " + droppedMalformed()
                + ", unknown type " + droppedUnknownType() + ", unknown eid " + droppedUnknownEid()
                + ", back-pressured " + backPressured() + ", dropped on close " + droppedOnClose()
                + ", clients accepted " + clientsAccepted() + ", rejected " + clientsRejected();
    }
}
