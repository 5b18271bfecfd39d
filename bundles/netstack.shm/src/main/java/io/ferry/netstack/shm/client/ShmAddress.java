package io.ferry.netstack.shm.client;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * An address of the {@code shm} stack: a listener's name (UTF-8, 1..255 bytes, no NUL; for
 * example {@code echo} or {@code svc/foo}; names beginning {@code node/} belong to listeners inside
 * the node), or the address a connecting end gets ({@code pid:<pid>/<n>} for a client process,
 * {@code node:<n>} for a connection made inside the node). {@link #ephemeral()} asks the node
 * stack for a fresh {@code node/} name. Immutable; any thread.
 */
public final class ShmAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private static final String EPHEMERAL = "";

    private final String name;

    private ShmAddress(String name) {
        this.name = name;
    }

    /**
     * @param name the listener name or connector address; also accepts the text form
     *     {@code shm:<name>} that {@link #toString()} prints
     * @throws IllegalArgumentException for an empty name, a NUL or more than 255 UTF-8 bytes
     */
    public static ShmAddress of(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.startsWith("shm:") ? name.substring(4) : name;
        if (n.isEmpty() || n.indexOf('\0') >= 0 || n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("bad shm address '" + name + "': 1..255 UTF-8 bytes, no NUL");
        }
        return new ShmAddress(n);
    }

    /** @return an address asking the node stack to pick a fresh {@code node/ephemeral/<n>} name when listening. */
    public static ShmAddress ephemeral() {
        return new ShmAddress(EPHEMERAL);
    }

    /** @return true for {@link #ephemeral()}. */
    public boolean isEphemeral() {
        return name.isEmpty();
    }

    /** @return the name ({@code ""} for an ephemeral address). */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShmAddress && ((ShmAddress) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** @return {@code shm:<name>} ({@code shm:*} for ephemeral). */
    @Override
    public String toString() {
        return "shm:" + (isEphemeral() ? "*" : name);
    }
}
