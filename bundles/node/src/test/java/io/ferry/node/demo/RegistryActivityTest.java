package io.ferry.node.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RegistryActivityTest {

    @Test
    void shouldSettleOnceNothingChangedForTheQuietPeriod() throws Exception {
        HeadlessDemo.RegistryActivity activity = new HeadlessDemo.RegistryActivity();
        long start = System.nanoTime();
        assertTrue(activity.awaitQuiet(100, 5_000));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
    }

    @Test
    void shouldGiveUpWhenTheRegistryKeepsChanging() throws Exception {
        HeadlessDemo.RegistryActivity activity = new HeadlessDemo.RegistryActivity();
        ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
        try {
            churn.scheduleAtFixedRate(() -> activity.serviceChanged(null), 0, 20, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            assertFalse(activity.awaitQuiet(200, 500));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "bounded");
        } finally {
            churn.shutdownNow();
        }
    }
}
