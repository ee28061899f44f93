package dev.fwpolicy.sidecar.loop;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The loop's clock and timers, injected so its tests run on virtual time: a rate limit, a verify
 * delay or a retry back-off is checked by moving the clock, not by sleeping and measuring.
 */
public interface LoopTime {
    /** Wall-clock time, for what the loop records ({@code at} of a sync, a policy's load time). */
    Instant now();

    /** Monotonic time, for intervals (the rate limit, a sync's duration). */
    long nanoTime();

    /** Runs {@code action} on the calling context after {@code delay}; the id cancels it. */
    long setTimer(Duration delay, Runnable action);

    void cancelTimer(long id);

    /**
     * Real time and Vert.x timers. Timers are set from the loop's own event-loop context (the only
     * place the loop's state changes), which is where Vert.x then runs them.
     */
    static LoopTime system() {
        return new LoopTime() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long setTimer(Duration delay, Runnable action) {
                return vertx().setTimer(Math.max(1, delay.toMillis()), id -> action.run());
            }

            @Override
            public void cancelTimer(long id) {
                vertx().cancelTimer(id);
            }

            private Vertx vertx() {
                return Objects.requireNonNull(Vertx.currentContext(), "loop timers are set on the loop's context").owner();
            }
        };
    }
}
