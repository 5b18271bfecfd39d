package io.ferry.messenger.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopbackExchangeTest {
    private PosixStack stack;

    @BeforeEach
    void start() throws Exception {
        stack = new PosixStack("exchange-test", 2);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            EventLoops.awaitCondition(() -> stack.openSockets() == 0, Duration.ofSeconds(10),
                    "both messengers closed every socket");
        } finally {
            stack.close();
        }
    }

    @Test
    void shouldEchoEveryMessageInOrderOneAtATime() throws Exception {
        LoopbackExchange.Result r = LoopbackExchange.run(stack.stack(), 300, 64, 1, 20_000).get(30, TimeUnit.SECONDS);
        assertEquals(300, r.messages());
        assertEquals(64, r.size());
        assertTrue(r.p50Nanos() > 0 && r.p99Nanos() >= r.p50Nanos(), r.toString());
        assertTrue(r.toString().contains("echoed in order over posix"), r.toString());
    }

    @Test
    void shouldEchoLargeMessagesWithAWindowInFlight() throws Exception {
        LoopbackExchange.Result r = LoopbackExchange.run(stack.stack(), 500, 4096, 16, 20_000).get(30, TimeUnit.SECONDS);
        assertEquals(500, r.messages());
    }

    /**
     * Payloads over 16 KiB that fit in the read buffer's chunk are awaited whole there and taken in
     * place (the socket delivers them in pieces); larger ones are gathered into an array. Both come
     * back intact and in order, with many in flight (so chunks move on while views of them live).
     */
    @Test
    void shouldEchoPayloadsTakenInPlaceAndPayloadsLargerThanTheReadBuffer() throws Exception {
        LoopbackExchange.Result inPlace = LoopbackExchange.run(stack.stack(), 300, 40 * 1024, 8, 20_000)
                .get(60, TimeUnit.SECONDS);
        assertEquals(300, inPlace.messages());
        LoopbackExchange.Result gathered = LoopbackExchange.run(stack.stack(), 60, 300 * 1024, 4, 20_000)
                .get(60, TimeUnit.SECONDS);
        assertEquals(60, gathered.messages());
    }

    @Test
    void shouldCarryEmptyPayloads() throws Exception {
        assertEquals(10, LoopbackExchange.run(stack.stack(), 10, 0, 4, 20_000).get(30, TimeUnit.SECONDS).messages());
    }
}
