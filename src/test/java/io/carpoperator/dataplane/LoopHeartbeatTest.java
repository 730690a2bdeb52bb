package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopHeartbeatTest {
    private final ManualScheduler time = new ManualScheduler();

    @Test
    void staysQuietWhileTheSchedulerRunsItsTicks() {
        LoopHeartbeat heartbeat = LoopHeartbeat.start(time, time.clock());
        time.advance(Duration.ofMinutes(10));
        assertThat(heartbeat.stall()).isEmpty();
    }

    @Test
    void reportsAStallOnceThreeTicksWereMissed() {
        LoopHeartbeat heartbeat = LoopHeartbeat.start(time, time.clock());
        time.advance(Duration.ofSeconds(10));
        time.shutdownNow();

        time.advance(Duration.ofSeconds(15));
        assertThat(heartbeat.stall()).as("three periods late is still tolerated").isEmpty();
        time.advance(Duration.ofSeconds(1));
        assertThat(heartbeat.stall()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("data-plane scheduler: no heartbeat for 16 s (limit 15 s)"));
    }

    @Test
    void aSchedulerWhoseThreadsAreAllBlockedStallsAndRecoversWhenOneIsFree() throws Exception {
        ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            LoopHeartbeat heartbeat = LoopHeartbeat.start(pool, time.clock(), Duration.ofMillis(1));
            time.advance(Duration.ofSeconds(1));
            assertThat(heartbeat.stall()).isPresent();

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (heartbeat.stall().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(heartbeat.stall()).as("the next tick clears it").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
