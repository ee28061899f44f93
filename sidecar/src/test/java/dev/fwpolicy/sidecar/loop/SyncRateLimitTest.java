package dev.fwpolicy.sidecar.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SyncRateLimitTest {
    private final AtomicLong nanos = new AtomicLong();

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void burstThenOnePerInterval() {
        var limit = new SyncRateLimit(Duration.ofSeconds(1), 2, nanos::get);
        assertThat(limit.untilNext()).isZero();
        limit.take();
        assertThat(limit.untilNext()).isZero();
        limit.take();
        assertThat(limit.untilNext()).isEqualTo(Duration.ofMillis(1001));
        advance(Duration.ofMillis(400));
        assertThat(limit.untilNext()).isEqualTo(Duration.ofMillis(601));
        advance(Duration.ofMillis(600));
        assertThat(limit.untilNext()).isZero();
    }

    @Test
    void aLongQuietSpellRefillsOnlyUpToTheBurst() {
        var limit = new SyncRateLimit(Duration.ofSeconds(1), 2, nanos::get);
        limit.take();
        limit.take();
        advance(Duration.ofHours(1));
        limit.take();
        limit.take();
        assertThat(limit.untilNext()).isPositive();
    }

    @Test
    void aChargeAfterTheFactLeavesADebtThatDelaysTheNextSync() {
        var limit = new SyncRateLimit(Duration.ofSeconds(1), 1, nanos::get);
        limit.take();
        limit.take(); // a free verify that wrote, charged afterwards
        assertThat(limit.untilNext()).isEqualTo(Duration.ofMillis(2001));
    }

    @Test
    void noIntervalMeansNoWait() {
        var limit = new SyncRateLimit(Duration.ZERO, 1, nanos::get);
        for (int i = 0; i < 5; i++) limit.take();
        assertThat(limit.untilNext()).isZero();
    }
}
