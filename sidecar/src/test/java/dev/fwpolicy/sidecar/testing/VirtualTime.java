package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.sidecar.loop.LoopTime;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when a test says so. Timers fire during {@link #advance}, in due order,
 * each on the context that set it (the loop's), and {@code advance} waits for each to finish, so
 * "a second later" is exact and instant, and a timer that was not set cannot fire.
 */
public final class VirtualTime implements LoopTime {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private record Timer(long id, long dueNanos, Runnable action, Context context) {}

    private final List<Timer> timers = new ArrayList<>();
    private long nanos;
    private long nextId = 1;

    @Override
    public synchronized Instant now() {
        return EPOCH.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized long setTimer(Duration delay, Runnable action) {
        var context = Objects.requireNonNull(Vertx.currentContext(), "timers are set on a Vert.x context");
        long id = nextId++;
        timers.add(new Timer(id, nanos + Math.max(1, delay.toNanos()), action, context));
        return id;
    }

    @Override
    public synchronized void cancelTimer(long id) {
        timers.removeIf(t -> t.id() == id);
    }

    /** How long until each pending timer fires, soonest first. */
    public synchronized List<Duration> pending() {
        return timers.stream().sorted(Comparator.comparingLong(Timer::dueNanos))
                .map(t -> Duration.ofNanos(t.dueNanos() - nanos)).toList();
    }

    /** Moves the clock forward by {@code step}, firing every timer that falls due on the way. */
    public void advance(Duration step) {
        long target;
        synchronized (this) {
            target = nanos + step.toNanos();
        }
        while (true) {
            Timer next;
            synchronized (this) {
                next = timers.stream().filter(t -> t.dueNanos() <= target)
                        .min(Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::id)).orElse(null);
                if (next == null) {
                    nanos = target;
                    return;
                }
                timers.remove(next);
                nanos = next.dueNanos();
            }
            var done = new CompletableFuture<Void>();
            var timer = next;
            timer.context().runOnContext(v -> {
                try {
                    timer.action().run();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            try {
                done.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a timer failed", e);
            }
        }
    }
}
