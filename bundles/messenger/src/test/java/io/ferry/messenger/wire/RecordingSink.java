package io.ferry.messenger.wire;

import io.ferry.api.msgr.Message;
import java.util.ArrayList;
import java.util.List;

/** Records what a {@link FrameReader} reports, for tests. */
class RecordingSink implements FrameReader.Sink {
    final List<Message> messages = new ArrayList<>();
    final List<Long> acks = new ArrayList<>();
    final List<long[]> keepalive2 = new ArrayList<>();
    final List<long[]> keepalive2Acks = new ArrayList<>();
    int keepalives;
    boolean admitting = true;
    long admittedBytes;

    @Override
    public void onAck(long seq) {
        acks.add(seq);
    }

    @Override
    public void onKeepalive() {
        keepalives++;
    }

    @Override
    public void onKeepalive2(int sec, int nsec) {
        keepalive2.add(new long[] {sec, nsec});
    }

    @Override
    public void onKeepalive2Ack(int sec, int nsec) {
        keepalive2Acks.add(new long[] {sec, nsec});
    }

    @Override
    public boolean admit(long payloadBytes) {
        if (admitting) {
            admittedBytes += payloadBytes;
        }
        return admitting;
    }

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }
}
