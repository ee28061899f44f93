package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.sidecar.json.ApiJson;
import dev.fwpolicy.sidecar.loop.ActivePolicy;
import dev.fwpolicy.sidecar.loop.NoPolicyException;
import dev.fwpolicy.sidecar.loop.ReconcileLoop;
import dev.fwpolicy.sidecar.source.PolicyProblem;
import dev.fwpolicy.engine.source.SourceFile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API. Reads come from the loop's immutable snapshot; kernel questions (/v1/state,
 * /v1/diff) read the kernel on a worker thread; nothing here waits for a sync except
 * POST /v1/sync, whose answer is the sync. Every failure is JSON
 * {@code {code, message, errors:[…]}}; a bad request is a 4xx, never a 5xx.
 */
public final class ApiVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger("fwpolicy.api");
    private static final String JSON = "application/json";

    private final ReconcileLoop loop;
    private final ApiSettings settings;
    private final PrometheusMeterRegistry registry;
    private HttpServer server;
    private EvaluateApi evaluateApi;

    public ApiVerticle(ReconcileLoop loop, ApiSettings settings, PrometheusMeterRegistry registry) {
        this.loop = loop;
        this.settings = settings;
        this.registry = registry;
    }

    /** The bound port (useful when asked for port 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        var router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(settings.bodyLimit()).setHandleFileUploads(false));
        router.get("/healthz").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "ok")));
        router.get("/readyz").handler(this::ready);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/v1/status").handler(ctx -> send(ctx, 200, ApiJson.status(loop.snapshot())));
        router.get("/v1/rules").handler(this::rules);
        router.get("/v1/state").handler(this::state);
        router.get("/v1/diff").handler(this::diff);
        router.post("/v1/check").handler(this::check);
        router.post("/v1/sync").handler(this::sync);
        evaluateApi = new EvaluateApi(vertx, loop);
        router.post("/v1/evaluate").handler(this::evaluate);

        router.errorHandler(400, ctx -> fail(ctx, 400, "BadRequest", "the request could not be read"));
        router.errorHandler(404, ctx -> fail(ctx, 404, "NotFound", "no such endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> fail(ctx, 405, "MethodNotAllowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> fail(ctx, 413, "BodyTooLarge",
                "request body larger than " + settings.bodyLimit() + " bytes"));
        router.errorHandler(415, ctx -> fail(ctx, 415, "UnsupportedMediaType", "unsupported content type"));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.ERROR, "unhandled failure on " + ctx.request().path(), ctx.failure());
            fail(ctx, 500, "InternalError", String.valueOf(ctx.failure()));
        });

        return vertx.createHttpServer().requestHandler(router).listen(settings.port(), settings.host())
                .onSuccess(s -> {
                    server = s;
                    settings.token().filter(BearerToken::reloads).ifPresent(token ->
                            vertx.setPeriodic(token.reloadEvery().toMillis(), id -> vertx.executeBlocking(token::reload, false)));
                    if (!isLoopback(settings.host()) && settings.token().isEmpty()) {
                        LOG.log(Level.WARNING, "listening on {0} without --token-file: anyone who reaches the port can trigger syncs",
                                settings.host());
                    }
                    LOG.log(Level.INFO, "HTTP API on http://{0}:{1,number,#}{2}", settings.host(), s.actualPort(),
                            settings.token().isPresent() ? " (POST /v1/sync needs the bearer token)" : "");
                });
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
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
        loop.snapshot().policy().ifPresentOrElse(p -> send(ctx, 200, ApiJson.rules(p)), () -> noPolicy(ctx));
    }

    private void state(RoutingContext ctx) {
        var revision = loop.snapshot().policy().map(ActivePolicy::revision).orElse(null);
        loop.kernelState().onComplete(ar -> {
            if (ar.succeeded()) send(ctx, 200, ApiJson.state(revision, ar.result()));
            else kernelFailure(ctx, ar.cause());
        });
    }

    private void diff(RoutingContext ctx) {
        var revision = loop.snapshot().policy().map(ActivePolicy::revision).orElse(null);
        loop.diff().onComplete(ar -> {
            if (ar.succeeded()) send(ctx, 200, ApiJson.diff(revision, ar.result()));
            else kernelFailure(ctx, ar.cause());
        });
    }

    private void check(RoutingContext ctx) {
        List<SourceFile> files;
        try {
            files = checkInput(ctx);
        } catch (BadInput e) {
            fail(ctx, 400, e.code, e.getMessage());
            return;
        }
        int count = files.size();
        loop.check(files).onComplete(ar -> {
            if (ar.succeeded()) send(ctx, 200, ApiJson.check(ar.result(), count));
            else ctx.fail(500, ar.cause());
        });
    }

    /**
     * JSON {@code {"files":[{"name","text"}]}} or {@code {"text"}}; any other content type is
     * taken as the text of one file.
     */
    private static List<SourceFile> checkInput(RoutingContext ctx) throws BadInput {
        var body = ctx.body().buffer();
        if (body == null || body.length() == 0) throw new BadInput("EmptyBody", "no policy text in the request body");
        var type = String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        if (!type.startsWith(JSON)) {
            return List.of(new SourceFile("request.fwpolicy", body.toString(StandardCharsets.UTF_8)));
        }
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new BadInput("BadJson", "the body is not a JSON object: " + firstLine(e.getMessage()));
        }
        if (json == null) throw new BadInput("BadJson", "the body is not a JSON object");
        var out = new ArrayList<SourceFile>();
        if (json.getValue("text") instanceof String text) {
            out.add(new SourceFile("request.fwpolicy", text));
        } else if (json.getValue("files") instanceof JsonArray files && !files.isEmpty()) {
            for (int i = 0; i < files.size(); i++) {
                if (!(files.getValue(i) instanceof JsonObject f) || !(f.getValue("text") instanceof String text)) {
                    throw new BadInput("BadField", "files[" + i + "] needs a string \"text\"");
                }
                var name = f.getValue("name") instanceof String n && !n.isBlank() ? n : "file" + i + ".fwpolicy";
                out.add(new SourceFile(name, text));
            }
        } else {
            throw new BadInput("BadField", "expected {\"text\": \"…\"} or {\"files\": [{\"name\": \"…\", \"text\": \"…\"}]}");
        }
        return out;
    }

    private void evaluate(RoutingContext ctx) {
        EvaluateApi.Request request;
        try {
            request = EvaluateApi.parse(ctx);
        } catch (EvaluateApi.BadRequest e) {
            fail(ctx, 400, e.code, e.getMessage());
            return;
        }
        evaluateApi.evaluate(request).onComplete(ar -> {
            if (ar.succeeded()) send(ctx, 200, ar.result());
            else kernelFailure(ctx, ar.cause());
        });
    }

    private void sync(RoutingContext ctx) {
        if (settings.token().isPresent()) {
            var header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                fail(ctx, 401, "Unauthorized", "POST /v1/sync needs Authorization: Bearer <token>");
                return;
            }
            byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            byte[] expected = settings.token().get().current().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, expected)) { // constant time
                fail(ctx, 403, "Forbidden", "wrong token");
                return;
            }
        }
        if (loop.snapshot().policy().isEmpty()) {
            noPolicy(ctx);
            return;
        }
        loop.syncNow("api").onComplete(ar -> {
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

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void fail(RoutingContext ctx, int status, String code, String message) {
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

    private static final class BadInput extends Exception {
        final String code;

        BadInput(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}
