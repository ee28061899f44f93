package dev.fwpolicy.sidecar.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may use /v1/*. Without a token everyone may (serve allows that only on loopback). With
 * one, POST /v1/sync needs it from every client, and every other /v1/* endpoint needs it from a
 * client not on loopback: inside the pod the containers share loopback, and its rules anyway.
 * /healthz, /readyz and /metrics stay open for the kubelet and Prometheus. Runs before the body
 * is read, so an unauthenticated client does not get to upload a megabyte.
 */
final class TokenGate implements Handler<RoutingContext> {
    private final Optional<BearerToken> token;

    TokenGate(Optional<BearerToken> token) {
        this.token = token;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (token.isEmpty() || !path.startsWith("/v1/")
                || (ApiSettings.isLoopback(ctx.request().remoteAddress().hostAddress()) && !path.equals("/v1/sync"))) {
            ctx.next();
            return;
        }
        var header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ApiVerticle.fail(ctx, 401, "Unauthorized", path + " needs Authorization: Bearer <token>");
            return;
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        byte[] expected = token.get().current().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) { // constant time
            ApiVerticle.fail(ctx, 403, "Forbidden", "wrong token");
            return;
        }
        ctx.next();
    }
}
