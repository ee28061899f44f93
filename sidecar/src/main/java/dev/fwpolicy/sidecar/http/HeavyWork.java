package dev.fwpolicy.sidecar.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Admission for requests that compile, evaluate in bulk or read the kernel: at most
 * {@code limit} at once, whatever the number of connections; past it, 429 {@code Busy}. Work is
 * counted until it completes, not until its client leaves: an abandoned request still holds a
 * worker. Used on the API verticle's event loop only.
 */
final class HeavyWork {
    private final int limit;
    private int inFlight;

    HeavyWork(int limit) {
        this.limit = limit;
    }

    <T> void run(RoutingContext ctx, Supplier<Future<T>> work, Consumer<AsyncResult<T>> answer) {
        if (inFlight >= limit) {
            ctx.response().putHeader("Retry-After", "1");
            ApiVerticle.fail(ctx, 429, "Busy", "at most " + limit
                    + " requests that compile, evaluate in bulk or read the kernel at once; try again shortly");
            return;
        }
        inFlight++;
        Future<T> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            inFlight--;
            answer.accept(ar);
        });
    }
}
