package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.http.BearerToken;
import dev.fwpolicy.sidecar.loop.FirewallSync;
import dev.fwpolicy.sidecar.loop.LoopSettings;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.loop.ServiceSnapshot;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.serve.SidecarService;
import dev.fwpolicy.sidecar.source.PolicySource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A running service on 127.0.0.1 (free port) over a given firewall and source, with an HTTP client. */
public final class ServiceHarness implements AutoCloseable {
    public final PrometheusMeterRegistry registry = SidecarService.newRegistry();
    public final Vertx vertx = SidecarService.newVertx(registry);
    public final FirewallSync firewall;
    public final PolicySource source;
    public final SidecarService service;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        /** The body, checked against docs/json.md's vocabulary: every reply a test reads is checked. */
        public JsonObject json() {
            return JsonVocabulary.check(new JsonObject(body), "HTTP reply");
        }
    }

    public ServiceHarness(FirewallSync firewall, PolicySource source, LoopSettings loop, Optional<String> token, long bodyLimit) {
        this(firewall, v -> source, loop, token, bodyLimit);
    }

    /** For sources that need the service's Vert.x instance (the fabric8 client shares it). */
    public ServiceHarness(FirewallSync firewall, java.util.function.Function<Vertx, PolicySource> sourceFactory, LoopSettings loop,
                   Optional<String> token, long bodyLimit) {
        this(firewall, sourceFactory, SidecarOptions.of(loop, api(token.map(BearerToken::fixed), bodyLimit)));
    }

    /** With a token that may change (a token file). */
    public ServiceHarness(FirewallSync firewall, PolicySource source, LoopSettings loop, BearerToken token) {
        this(firewall, v -> source, SidecarOptions.of(loop, api(Optional.of(token), 4096)));
    }

    /** With the loop's compiler given (tests that make compiling fail). */
    public ServiceHarness(FirewallSync firewall, PolicySource source, LoopSettings loop, PrimedCompile compiler) {
        this(firewall, v -> source, SidecarOptions.of(loop, api(Optional.empty(), 4096)).withCompiler(compiler));
    }

    /** With the API's settings given whole (limits, TLS). */
    public ServiceHarness(FirewallSync firewall, PolicySource source, LoopSettings loop, ApiSettings api) {
        this(firewall, v -> source, SidecarOptions.of(loop, api));
    }

    /** On virtual time: the loop's timers fire only when the test advances {@code time}. */
    public ServiceHarness(FirewallSync firewall, PolicySource source, LoopSettings loop, VirtualTime time) {
        this(firewall, v -> source, SidecarOptions.of(loop, api(Optional.empty(), 4096)).withTime(time));
    }

    public ServiceHarness(FirewallSync firewall, java.util.function.Function<Vertx, PolicySource> sourceFactory,
                          SidecarOptions options) {
        this(firewall, sourceFactory, (java.util.function.Function<Vertx, SidecarOptions>) v -> options);
    }

    /** Options that need the service's Vert.x instance (a cluster watch's Kubernetes client shares it). */
    public ServiceHarness(FirewallSync firewall, java.util.function.Function<Vertx, PolicySource> sourceFactory,
                          java.util.function.Function<Vertx, SidecarOptions> optionsFactory) {
        this.firewall = firewall;
        this.source = sourceFactory.apply(vertx);
        var options = optionsFactory.apply(vertx);
        try {
            this.service = SidecarService.start(vertx, registry, firewall, source, options)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("service did not start", e);
        }
    }

    private static ApiSettings api(Optional<BearerToken> token, long bodyLimit) {
        return new ApiSettings("127.0.0.1", 0, token, bodyLimit);
    }

    /**
     * No rate limit; resync and the verify after a write 10 minutes away, so tests that count
     * syncs see only the ones they cause (ReconcileLoopTest covers the verify sync itself).
     */
    public static LoopSettings fastLoop() {
        return new LoopSettings(Duration.ofMinutes(10), Duration.ZERO).withVerifyDelay(Duration.ofMinutes(10));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            var r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public ServiceSnapshot snapshot() {
        return service.loop().snapshot();
    }

    @Override
    public void close() throws Exception {
        try {
            service.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
