package io.ferry.api.msgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void releaseShouldRunTheHookOnceAndDropTheSections() {
        Message m = new Message(7, BufferList.wrap(new byte[] {1, 2}), new BufferList(), BufferList.wrap(new byte[3]));
        AtomicInteger runs = new AtomicInteger();
        assertTrue(m.onRelease(runs::incrementAndGet));
        assertFalse(m.isReleased());
        assertTrue(m.release());
        assertFalse(m.release(), "idempotent");
        assertEquals(1, runs.get());
        assertTrue(m.isReleased());
        assertEquals(0, m.payloadLength());
        assertFalse(m.onRelease(runs::incrementAndGet), "too late: not kept, never run");
        assertEquals(1, runs.get());
    }

    @Test
    void aValueHookShouldGetItsValueAndReplaceAnEarlierHook() {
        Message m = new Message(7, BufferList.wrap(new byte[5]), new BufferList(), new BufferList());
        AtomicInteger plain = new AtomicInteger();
        AtomicLong given = new AtomicLong(-1);
        assertTrue(m.onRelease(plain::incrementAndGet));
        assertTrue(m.onRelease(given::set, 5), "replaces the first hook");
        m.release();
        assertEquals(5, given.get(), "the value given at registration, though the sections are gone");
        assertEquals(0, plain.get());
        assertFalse(m.onRelease(given::set, 9));
        assertEquals(5, given.get());
    }

    @Test
    void aReleaseRacingTheHookShouldRunItAtMostOnce() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Message m = new Message(7);
            AtomicLong sum = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            Thread releaser = new Thread(() -> {
                try {
                    go.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                m.release();
            });
            releaser.start();
            go.countDown();
            boolean kept = m.onRelease(sum::addAndGet, 3);
            releaser.join(5_000);
            assertEquals(kept ? 3 : 0, sum.get(), "a kept hook runs exactly once, a refused one never");
        }
    }
}
