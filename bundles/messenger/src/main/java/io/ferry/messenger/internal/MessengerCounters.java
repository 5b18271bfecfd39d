package io.ferry.messenger.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one messenger, for status output and tests. Updated from any thread; read anywhere.
 *
 * <p>Bad peer input is counted once per closed connection under its reason: {@code badBanner},
 * {@code badAddress}, {@code badConnect} (an unreadable connect message or reply),
 * {@code badCrc} (header, front, middle or data crc), {@code oversized} (a message above
 * {@link MessengerSettings#maxMessageBytes()}), {@code protocolErrors} (a bad tag, an aborted
 * message, bytes where none may come) and {@code handshakeTimeouts}; {@code handlerErrors} counts
 * exceptions while handling a socket (bugs: the connection is faulted, the loop keeps running). {@code badFrames} counts every
 * refused frame of an open session (crc, size or protocol).
 */
public final class MessengerCounters {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder faults = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder backoffs = new LongAdder();
    final LongAdder refusals = new LongAdder();
    final LongAdder badFrames = new LongAdder();
    final LongAdder badBanner = new LongAdder();
    final LongAdder badAddress = new LongAdder();
    final LongAdder badConnect = new LongAdder();
    final LongAdder badCrc = new LongAdder();
    final LongAdder oversized = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder handshakeTimeouts = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder oldDiscarded = new LongAdder();
    final LongAdder throttleStalls = new LongAdder();
    final LongAdder unhandled = new LongAdder();
    final LongAdder dispatchErrors = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder replaced = new LongAdder();

    /** @return every counter by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sent", sent.sum());
        m.put("received", received.sum());
        m.put("bytesIn", bytesIn.sum());
        m.put("bytesOut", bytesOut.sum());
        m.put("faults", faults.sum());
        m.put("reconnects", reconnects.sum());
        m.put("backoffs", backoffs.sum());
        m.put("refusals", refusals.sum());
        m.put("badFrames", badFrames.sum());
        m.put("badBanner", badBanner.sum());
        m.put("badAddress", badAddress.sum());
        m.put("badConnect", badConnect.sum());
        m.put("badCrc", badCrc.sum());
        m.put("oversized", oversized.sum());
        m.put("protocolErrors", protocolErrors.sum());
        m.put("handshakeTimeouts", handshakeTimeouts.sum());
        m.put("handlerErrors", handlerErrors.sum());
        m.put("oldDiscarded", oldDiscarded.sum());
        m.put("throttleStalls", throttleStalls.sum());
        m.put("unhandled", unhandled.sum());
        m.put("dispatchErrors", dispatchErrors.sum());
        m.put("accepted", accepted.sum());
        m.put("replaced", replaced.sum());
        return m;
    }

    public long get(String name) {
        Long v = snapshot().get(name);
        if (v == null) {
            throw new IllegalArgumentException("no counter " + name);
        }
        return v;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
