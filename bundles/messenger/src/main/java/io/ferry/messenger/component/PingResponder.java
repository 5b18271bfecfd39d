package io.ferry.messenger.component;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;

/**
 * Answers an MPing whose front is empty (a probe, such as {@code msgr:ping}'s) with an MPing whose
 * front names the messenger, as a Ceph monitor answers with its health. An MPing with a front is an
 * answer and is left to other dispatchers, so two Ferry nodes never ping-pong. Called on connection
 * threads; does not block.
 */
public final class PingResponder implements Dispatcher {
    private final Messenger messenger;

    public PingResponder(Messenger messenger) {
        this.messenger = messenger;
    }

    @Override
    public boolean wants(int type) {
        return type == Message.TYPE_PING;
    }

    @Override
    public boolean dispatch(Connection connection, Message message) {
        if (!message.front().isEmpty()) {
            return false;
        }
        long tid = message.tid();
        message.release();
        String text = "{\"ferry\":\"" + messenger.name() + "\",\"entity\":\"" + messenger.myName() + "\",\"addr\":\""
                + messenger.myAddress() + "\"}";
        connection.send(new Message(Message.TYPE_PING, BufferList.ofUtf8(text), new BufferList(), new BufferList()).tid(tid));
        return true;
    }
}
