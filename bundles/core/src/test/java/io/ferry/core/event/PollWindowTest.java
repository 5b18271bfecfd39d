package io.ferry.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link PollWindow}: grows while events end sleeps within the limit, shrinks away otherwise. */
class PollWindowTest {
    private static final long LIMIT = 80_000;

    @Test
    void shouldGrowFromAnEighthToTheLimitWhileEventsComeWithinIt() {
        PollWindow w = new PollWindow();
        assertEquals(0, w.next(LIMIT), "no polling before the first sleep");
        w.afterSleep(LIMIT, 30_000, true);
        assertEquals(10_000, w.next(LIMIT));
        w.afterSleep(LIMIT, 30_000, true);
        assertEquals(20_000, w.next(LIMIT));
        w.afterSleep(LIMIT, 30_000, true);
        assertEquals(40_000, w.next(LIMIT));
        w.afterSleep(LIMIT, 30_000, true);
        assertEquals(LIMIT, w.next(LIMIT), "doubled to the limit");
        w.afterSleep(LIMIT, 60_000, true);
        assertEquals(40_000, w.next(LIMIT), "80 + 60 is beyond the limit: polling longer would not have met it");
        w.afterSleep(LIMIT, 10_000, true);
        assertEquals(LIMIT, w.next(LIMIT));
        w.afterSleep(LIMIT, 0, true);
        assertEquals(LIMIT, w.next(LIMIT), "never beyond the limit");
        assertEquals(5_000, w.next(5_000), "a lower limit applies at once");
    }

    @Test
    void shouldShrinkToNothingWhenSleepsLastLongerOrNoEventEndsThem() {
        PollWindow w = new PollWindow();
        w.afterSleep(LIMIT, 0, true);
        w.afterSleep(LIMIT, 0, true);
        w.afterSleep(LIMIT, 0, true);
        w.afterSleep(LIMIT, 0, true);
        assertEquals(LIMIT, w.next(LIMIT));
        w.afterSleep(LIMIT, 1_000, false);
        assertEquals(40_000, w.next(LIMIT), "a timeout is no reason to poll longer");
        w.afterSleep(LIMIT, 5_000_000, true);
        assertEquals(20_000, w.next(LIMIT), "an event too late to catch");
        w.afterSleep(LIMIT, 5_000_000, true);
        assertEquals(10_000, w.next(LIMIT));
        w.afterSleep(LIMIT, 5_000_000, true);
        assertEquals(0, w.next(LIMIT), "below an eighth of the limit: off");
        w.afterSleep(LIMIT, 5_000_000, true);
        assertEquals(0, w.next(LIMIT), "stays off while events come late");
    }
}
