package io.ferry.messenger.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Message;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.testkit.EventLoops;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongFunction;

/** What several messenger tests do alike: tearing messengers down with checks, streams broken at random. */
public final class Messengers {
    private Messengers() {
    }

    /**
     * Shuts every messenger down, then checks that each one's connections closed within 10 s and
     * no received message was left unreleased, and that the stack's sockets all closed within
     * {@code wait}. Test thread.
     */
    public static void shutdownAndCheck(List<AsyncMessenger> messengers, IntSupplier openSockets, Duration wait)
            throws Exception {
        for (AsyncMessenger m : messengers) {
            m.shutdown();
        }
        for (AsyncMessenger m : messengers) {
            assertTrue(m.awaitClosed(10, TimeUnit.SECONDS), "connections of " + m + " closed");
            assertEquals(0, m.messagesHeld(), "no received message left unreleased in " + m);
        }
        EventLoops.awaitCondition(() -> openSockets.getAsInt() == 0, wait, "every socket closed");
    }

    /**
     * Sends messages 1..{@code total} (made by {@code message}) on {@code c} from {@code sender} to
     * {@code receiver}, breaking the socket under one side or the other at random points (about
     * ten times, seeded). Test thread.
     *
     * @return how many resets were injected
     */
    public static int sendWithRandomResets(AsyncMessenger sender, AsyncMessenger receiver, Connection c, int total,
            long seed, LongFunction<Message> message) {
        Random random = new Random(seed);
        int resets = 0;
        for (int i = 1; i <= total; i++) {
            c.send(message.apply(i));
            if (random.nextInt(total / 10) == 0) {
                if (random.nextBoolean()) {
                    sender.injectSocketFailure(c, "test: forced reset (sender)");
                } else {
                    Connection accepted = receiver.lookup(sender.myAddress());
                    if (accepted != null) {
                        receiver.injectSocketFailure(accepted, "test: forced reset (receiver)");
                    }
                }
                resets++;
            }
        }
        return resets;
    }
}
