package io.ferry.unix;

/**
 * The credentials of the process at the other end of a Unix socket, as the kernel recorded them
 * when the connection was made ({@code SO_PEERCRED}); the peer cannot forge them. Immutable.
 *
 * @param pid the peer's process id (in this process's pid namespace, 0 if not mappable)
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 */
public record PeerCredentials(int pid, int uid, int gid) {
}
