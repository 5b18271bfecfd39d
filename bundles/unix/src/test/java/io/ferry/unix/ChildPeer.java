package io.ferry.unix;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM's side of {@link SeparateProcessTest}: connects to the abstract name in
 * {@code args[0]}, says hello, then answers "echo:x" with "x", maps the memory and signals the
 * eventfd passed with "fds", and exits on "bye". Every wait is bounded; any failure exits non-zero.
 */
public final class ChildPeer {
    private ChildPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (UnixSeqpacketSocket socket = UnixSeqpacketSocket.connect(UnixAddress.abstractName(args[0]))) {
            send(socket, "hello " + ProcessHandle.current().pid());
            ByteBuffer in = ByteBuffer.allocateDirect(256);
            int[] fds = new int[2];
            while (true) {
                in.clear();
                int n = Await.retry(socket.fd(), () -> socket.receiveWithFds(in, fds));
                if (n <= 0) {
                    System.err.println("child: receive returned " + n);
                    System.exit(2);
                }
                in.flip();
                String message = StandardCharsets.UTF_8.decode(in).toString();
                if (message.startsWith("echo:")) {
                    send(socket, message.substring(5));
                } else if (message.equals("fds")) {
                    try (SharedMemory memory = SharedMemory.map(fds[0], 4096); EventFd bell = EventFd.adopt(fds[1])) {
                        long value = memory.buffer().getLong(0);
                        memory.buffer().putLong(8, value + 1);
                        if (bell.signal(7) != 0) {
                            System.exit(3);
                        }
                    }
                    send(socket, "mapped");
                } else if (message.equals("bye")) {
                    return;
                } else {
                    System.err.println("child: unexpected " + message);
                    System.exit(4);
                }
            }
        }
    }

    private static void send(UnixSeqpacketSocket socket, String text) {
        int rc = socket.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        if (rc < 0) {
            System.err.println("child: send returned " + rc);
            System.exit(5);
        }
    }
}
