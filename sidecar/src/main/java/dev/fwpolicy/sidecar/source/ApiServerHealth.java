package dev.fwpolicy.sidecar.source;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the API server last answered, seen from every request of one Kubernetes client (an
 * HTTP interceptor). fabric8 retries a failing request about ten times and reconnects a
 * broken watch on its own, telling the informer only when it gives up; this shows an outage
 * (refused connections, 5xx, 401/403) from the first failed request, for /v1/status.
 */
public final class ApiServerHealth implements Interceptor {
    /** The state at one moment. {@code failingSince} is present while the latest answer was a failure. */
    public record State(Optional<Instant> lastSuccessAt, Optional<String> lastError, Optional<Instant> lastErrorAt,
                        Optional<Instant> failingSince) {
        public boolean reachable() {
            return failingSince.isEmpty();
        }
    }

    private volatile State state = new State(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public State state() {
        return state;
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        int code = response.code();
        if (code >= 500 || code == 401 || code == 403 || code == 429) {
            failed(request.method() + " " + request.uri().getRawPath() + ": HTTP " + code);
        } else if (code < 400 || code == 101) {
            succeeded();
        }
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        failed(request.method() + " " + request.uri().getRawPath() + ": " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
    }

    private synchronized void succeeded() {
        var s = state;
        state = new State(Optional.of(Instant.now()), s.lastError(), s.lastErrorAt(), Optional.empty());
    }

    private synchronized void failed(String message) {
        var s = state;
        var now = Instant.now();
        state = new State(s.lastSuccessAt(), Optional.of(message), Optional.of(now), Optional.of(s.failingSince().orElse(now)));
    }
}
