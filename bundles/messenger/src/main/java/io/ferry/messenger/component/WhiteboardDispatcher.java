package io.ferry.messenger.component;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.Message;

/**
 * A {@link Dispatcher} service as a messenger sees it: offered only the types its
 * {@code ferry.msgr.types} property lists (without the property, its own {@link Dispatcher#wants}
 * decides). Called on connection threads; immutable.
 */
final class WhiteboardDispatcher implements Dispatcher {
    private final Dispatcher service;
    private final MessageTypes types;
    private final String description;

    /** @param types the listed types, or null to ask the service */
    WhiteboardDispatcher(Dispatcher service, MessageTypes types, String description) {
        this.service = service;
        this.types = types;
        this.description = description;
    }

    Dispatcher service() {
        return service;
    }

    @Override
    public boolean wants(int type) {
        return types != null ? types.contains(type) : service.wants(type);
    }

    @Override
    public boolean dispatch(Connection connection, Message message) {
        return service.dispatch(connection, message);
    }

    @Override
    public String toString() {
        return description + (types == null ? "" : " types " + types);
    }
}
