package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.sidecar.json.DriftJson;
import dev.fwpolicy.engine.compare.PolicyComparison;
import dev.fwpolicy.engine.eval.PolicyCheck;
import dev.fwpolicy.sidecar.json.CompareJson;
import dev.fwpolicy.sidecar.json.ApiJson;
import dev.fwpolicy.sidecar.loop.ActivePolicy;
import dev.fwpolicy.sidecar.loop.NoPolicyException;
import dev.fwpolicy.sidecar.loop.ReconcileLoop;
import dev.fwpolicy.sidecar.loop.SyncTrigger;
import dev.fwpolicy.sidecar.source.PolicyProblem;
import dev.fwpolicy.engine.source.SourceFile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API. Reads come from the loop's immutable snapshot; kernel questions (/v1/state,
 * /v1/diff) read the kernel on a worker thread; nothing here waits for a sync except
 * POST /v1/sync, whose answer is the sync. Every failure is JSON
 * {@code {code, message, errors:[…]}}; a bad request is a 4xx, never a 5xx.
 *
 * <p>Hostile or careless clients meet the bounds of {@link ApiLimits}: connection caps and a
 * deadline for reading each request ({@link ConnectionGuard}), a body limit per endpoint, and
 * heavy work (compiling for /v1/check, evaluating, reading the kernel) admitted a few requests
 * at a time and run on the API's own worker threads, never the loop's or the event loop.
 * With a token, every /v1/* endpoint needs it from a client outside the pod's network namespace
 * (POST /v1/sync from every client); /healthz, /readyz and /metrics stay open for the kubelet
 * and Prometheus.
 */
public final class ApiVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger("fwpolicy.api");
    private static final String JSON = "application/json";

    private final ReconcileLoop loop;
    private final ApiSettings settings;
    private final PrometheusMeterRegistry registry;
    private final PolicyCheck checker;
    private HttpServer server;
    private EvaluateApi evaluateApi;
    private WorkerExecutor workers;
    private ConnectionGuard guard;
    private HeavyWork heavyWork;
    private Optional<TlsReloader> tlsReloader = Optional.empty();

    public ApiVerticle(ReconcileLoop loop, ApiSettings settings, PrometheusMeterRegistry registry, PolicyCheck checker) {
        this.loop = loop;
        this.checker = checker;
        this.settings = settings;
        this.registry = registry;
    }

    /** The bound port (useful when asked for port 0). */
    public int port() {
        return server.actualPort();
    }

    /** Endpoints whose bodies carry real input (policy text, flows); every other body is tiny. */
    private static final Set<String> LARGE_BODIES = Set.of("/v1/check", "/v1/evaluate");

    @Override
    public Future<?> start() {
        var limits = settings.limits();
        workers = vertx.createSharedWorkerExecutor("fwpolicy-api-" + System.identityHashCode(this), limits.heavyWorkers());
        guard = new ConnectionGuard(vertx, limits, registry);
        heavyWork = new HeavyWork(limits.heavyQueue());
        var router = Router.router(vertx);
        router.route().handler(ctx -> {
            var conn = ctx.request().connection();
            ctx.addEndHandler(v -> guard.responded(conn));
            ctx.next();
        });
        // Before the body is read; a route without a path (one with a path would become every request's route label).
        router.route().handler(new TokenGate(settings.token()));
        var large = BodyHandler.create(false).setBodyLimit(settings.bodyLimit()).setHandleFileUploads(false);
        var small = BodyHandler.create(false).setBodyLimit(limits.smallBodyLimit()).setHandleFileUploads(false);
        router.route().handler(ctx -> (LARGE_BODIES.contains(ctx.request().path()) ? large : small).handle(ctx));
        router.route().handler(ctx -> {
            guard.requestRead(ctx.request().connection());
            ctx.next();
        });
        router.get("/healthz").handler(this::healthy);
        router.get("/readyz").handler(this::ready);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/v1/status").handler(ctx -> send(ctx, 200, ApiJson.status(loop.snapshot(), loop.clusterStatus())));
        router.get("/v1/rules").handler(this::rules);
        router.get("/v1/state").handler(this::state);
        router.get("/v1/coverage").handler(this::coverage);
        router.get("/v1/audit").handler(this::audit);
        router.get("/v1/diff").handler(this::diff);
        router.post("/v1/check").handler(this::check);
        router.post("/v1/sync").handler(this::sync);
        evaluateApi = new EvaluateApi(workers, loop, limits.maxTraceSteps());
        router.post("/v1/evaluate").handler(this::evaluate);

        router.errorHandler(400, ctx -> fail(ctx, 400, "BadRequest", "the request could not be read"));
        router.errorHandler(404, ctx -> fail(ctx, 404, "NotFound", "no such endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> fail(ctx, 405, "MethodNotAllowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> fail(ctx, 413, "BodyTooLarge", "request body larger than "
                + (LARGE_BODIES.contains(ctx.request().path()) ? settings.bodyLimit() : limits.smallBodyLimit()) + " bytes"));
        router.errorHandler(415, ctx -> fail(ctx, 415, "UnsupportedMediaType", "unsupported content type"));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.ERROR, "unhandled failure on " + ctx.request().path(), ctx.failure());
            fail(ctx, 500, "InternalError", String.valueOf(ctx.failure()));
        });

        var options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setIdleTimeout((int) Math.max(1, limits.idleTimeout().toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(4096).setMaxHeaderSize(8192)
                // HTTP/1.1 only: h2c would multiply requests per connection past the connection caps.
                .setHttp2ClearTextEnabled(false);
        Future<HttpServerOptions> ready = settings.tls().isEmpty() ? Future.succeededFuture(options)
                : vertx.executeBlocking(() -> settings.tls().get().read(), false).map(pair -> {
                    tlsReloader = Optional.of(new TlsReloader(vertx, settings.tls().get(), pair));
                    return options.setSsl(true).setKeyCertOptions(pair.options()).setSslHandshakeTimeout(limits.requestReadTimeout().toMillis())
                            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
                });
        return ready.compose(o -> vertx.createHttpServer(o).connectionHandler(guard::connected).requestHandler(router).listen())
                .onSuccess(s -> {
                    server = s;
                    settings.token().filter(BearerToken::reloads).ifPresent(token ->
                            vertx.setPeriodic(token.reloadEvery().toMillis(), id -> vertx.executeBlocking(token::reload, false)));
                    tlsReloader.ifPresent(t -> t.start(s));
                    if (!ApiSettings.isLoopback(settings.host()) && settings.token().isEmpty()) {
                        LOG.log(Level.WARNING, "listening on {0} without --token-file: anyone who reaches the port can use the API",
                                settings.host());
                    }
                    LOG.log(Level.INFO, "HTTP API on {0}://{1}:{2,number,#}{3}", settings.tls().isPresent() ? "https" : "http",
                            settings.host(), s.actualPort(), settings.token().isPresent()
                                    ? " (/v1/* needs the bearer token from outside the pod, POST /v1/sync from everywhere)" : "");
                });
    }

    @Override
    public Future<?> stop() {
        tlsReloader.ifPresent(TlsReloader::stop);
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> workers == null ? Future.<Void>succeededFuture() : workers.close());
    }

    /**
     * Liveness: this answer shows the HTTP side works; the reconcile loop's own thread must have
     * ticked recently too, or the sidecar would look healthy while nothing repairs the rules.
     */
    private void healthy(RoutingContext ctx) {
        var since = loop.sinceLastTick();
        if (since.compareTo(settings.limits().loopStallAfter()) > 0) {
            fail(ctx, 503, "LoopStalled", "the reconcile loop has not run for " + since.toMillis() + " ms");
        } else {
            send(ctx, 200, new JsonObject().put("status", "ok").put("loopTickedMsAgo", since.toMillis()));
        }
    }

    private void ready(RoutingContext ctx) {
        var s = loop.snapshot();
        if (s.ready()) {
            send(ctx, 200, new JsonObject().put("status", "ready").put("appliedRevision", s.applied().orElse(null)));
        } else {
            fail(ctx, 503, "NotReady", "no successful sync yet" + s.problem().map(p -> ": " + p.message()).orElse(""));
        }
    }

    private void rules(RoutingContext ctx) {
        var s = loop.snapshot();
        s.policy().ifPresentOrElse(p -> send(ctx, 200, ApiJson.rules(p, s.hits())), () -> noPolicy(ctx));
    }

    /** Would-denies of audited policies and defaults, from the last sync's counters. */
    private void audit(RoutingContext ctx) {
        var s = loop.snapshot();
        s.policy().ifPresentOrElse(p -> send(ctx, 200, dev.fwpolicy.sidecar.json.HitsJson.audit(p.revision(), s.hits())),
                () -> noPolicy(ctx));
    }

    /** From the last sync's read-back: no kernel read of its own. */
    private void coverage(RoutingContext ctx) {
        var s = loop.snapshot();
        s.policy().ifPresentOrElse(p -> send(ctx, 200, dev.fwpolicy.sidecar.json.HitsJson.coverage(p.revision(), s.hits())),
                () -> noPolicy(ctx));
    }

    private void state(RoutingContext ctx) {
        var revision = loop.snapshot().policy().map(ActivePolicy::revision).orElse(null);
        heavyWork.run(ctx, () -> loop.inspect(true), ar -> {
            if (ar.succeeded()) send(ctx, 200, DriftJson.state(revision, ar.result()));
            else kernelFailure(ctx, ar.cause());
        });
    }

    private void diff(RoutingContext ctx) {
        var revision = loop.snapshot().policy().map(ActivePolicy::revision).orElse(null);
        heavyWork.run(ctx, () -> loop.inspect(false), ar -> {
            if (ar.succeeded()) send(ctx, 200, ApiJson.diff(revision, ar.result().plan()));
            else kernelFailure(ctx, ar.cause());
        });
    }

    private void check(RoutingContext ctx) {
        var decoded = CheckBody.decode(bodyBytes(ctx), Optional.ofNullable(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)));
        if (!(decoded instanceof Decoded.Ok<CheckRequest> ok)) {
            fail(ctx, ((Decoded.Rejected<?>) decoded).error());
            return;
        }
        List<SourceFile> files = ok.request().files();
        int count = files.size();
        // The policy in force is taken when the request arrives: the answer is against that revision.
        Optional<ActivePolicy> inForce = loop.snapshot().policy();
        boolean compare = ok.request().compare() || "true".equals(ctx.request().getParam("compare"));
        if (compare && inForce.isEmpty()) {
            noPolicy(ctx);
            return;
        }
        heavyWork.run(ctx, () -> workers.executeBlocking(guarded(() -> {
            var result = checker.check(files);
            var json = ApiJson.check(result, count);
            if (compare && result.ruleSet().isPresent()) {
                var changes = PolicyComparison.compare(inForce.get().ruleSet(), result.ruleSet().get());
                json.put("comparedRevision", inForce.get().revision()).mergeIn(CompareJson.toJson(changes));
            }
            return json;
        }), false), ar -> {
            if (ar.succeeded()) send(ctx, 200, ar.result());
            else workFailure(ctx, ar.cause());
        });
    }

    /**
     * Turns running out of memory into an answer. The compiler's own limits come first and
     * answer with diagnostics; this is the last line, so a request that still does not fit
     * costs its client a 503 and leaves the sidecar serving.
     */
    static <T> Callable<T> guarded(Callable<T> work) {
        return () -> {
            try {
                return work.call();
            } catch (OutOfMemoryError e) {
                throw new TooMuchWork("the request needs more memory than the sidecar has (max heap "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB); send less at once");
            }
        };
    }

    /** Work a request asked for could not be done within the sidecar's memory: the client's to shrink. */
    static final class TooMuchWork extends RuntimeException {
        TooMuchWork(String message) {
            super(message);
        }
    }

    private void workFailure(RoutingContext ctx, Throwable cause) {
        if (cause instanceof TooMuchWork) {
            fail(ctx, 503, "TooMuchWork", cause.getMessage());
        } else if (cause instanceof NoPolicyException) {
            noPolicy(ctx);
        } else {
            ctx.fail(500, cause);
        }
    }

    private void evaluate(RoutingContext ctx) {
        var decoded = EvaluateBody.decode(bodyBytes(ctx), Optional.ofNullable(ctx.queryParams().get("against")), settings.limits());
        if (!(decoded instanceof Decoded.Ok<EvaluateRequest> ok)) {
            fail(ctx, ((Decoded.Rejected<?>) decoded).error());
            return;
        }
        EvaluateRequest request = ok.request();
        java.util.function.Consumer<io.vertx.core.AsyncResult<JsonObject>> answer = ar -> {
            if (ar.succeeded()) send(ctx, 200, ar.result());
            else if (ar.cause() instanceof EvaluateApi.KernelReadFailed k) kernelFailure(ctx, k.getCause());
            else if (ar.cause() instanceof EvaluateApi.TraceTooLong t) fail(ctx, 400, "TooManyFlows", t.getMessage());
            else workFailure(ctx, ar.cause());
        };
        // A few flows against the policy without traces cost microseconds: the common question
        // ("would this pass?") is not turned away while a batch or a kernel read runs.
        if (request.isSmall(settings.limits().maxExplainedFlows())) evaluateApi.evaluate(request).onComplete(answer::accept);
        else heavyWork.run(ctx, () -> evaluateApi.evaluate(request), answer);
    }

    private void sync(RoutingContext ctx) {
        if (loop.snapshot().policy().isEmpty()) {
            noPolicy(ctx);
            return;
        }
        loop.syncNow(SyncTrigger.API).onComplete(ar -> {
            if (ar.failed()) {
                kernelFailure(ctx, ar.cause());
            } else if (ar.result().ok()) {
                send(ctx, 200, ApiJson.sync(ar.result()));
            } else {
                send(ctx, 502, ApiJson.error("SyncFailed", ar.result().error().orElse("sync failed"), List.of())
                        .put("sync", ApiJson.sync(ar.result())));
            }
        });
    }

    private void noPolicy(RoutingContext ctx) {
        var problem = loop.snapshot().problem();
        fail(ctx, 409, "NoPolicy", "no policy has been loaded yet" + problem.map(p -> ": " + p.message()).orElse(""),
                problem.map(PolicyProblem::diagnostics).orElse(List.of()));
    }

    private void kernelFailure(RoutingContext ctx, Throwable cause) {
        if (cause instanceof NoPolicyException) {
            noPolicy(ctx);
        } else {
            LOG.log(Level.WARNING, "kernel query failed on " + ctx.request().path(), cause);
            fail(ctx, 502, "KernelUnavailable", "could not read the kernel: " + cause.getMessage());
        }
    }

    private static byte[] bodyBytes(RoutingContext ctx) {
        var body = ctx.body().buffer();
        return body == null ? new byte[0] : body.getBytes();
    }

    private static void fail(RoutingContext ctx, BodyError error) {
        fail(ctx, error.status(), error.code(), error.message(), error.diagnostics());
    }

    static void fail(RoutingContext ctx, int status, String code, String message) {
        fail(ctx, status, code, message, List.of());
    }

    private static void fail(RoutingContext ctx, int status, String code, String message,
                             List<dev.fwpolicy.engine.diag.Diagnostic> diagnostics) {
        send(ctx, status, ApiJson.error(code, message, diagnostics));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encodePrettily() + "\n");
    }
}
