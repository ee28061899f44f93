package dev.fwpolicy.sidecar.http;

import java.util.Optional;

/**
 * @param host      interface to listen on (127.0.0.1 unless told otherwise: the API can trigger syncs)
 * @param port      0 picks a free port (tests)
 * @param token     bearer token that mutating endpoints require, when configured (re-read from its file)
 * @param bodyLimit largest request body accepted by /v1/check and /v1/evaluate, in bytes
 * @param limits    connections, timeouts and per-request work (see {@link ApiLimits})
 * @param tls       certificate and key to serve HTTPS with, re-read when they change
 */
public record ApiSettings(String host, int port, Optional<BearerToken> token, long bodyLimit, ApiLimits limits,
                          Optional<TlsFiles> tls) {

    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;

    public ApiSettings(String host, int port, Optional<BearerToken> token, long bodyLimit) {
        this(host, port, token, bodyLimit, ApiLimits.DEFAULT, Optional.empty());
    }

    /** Whether {@code host} (a literal address or "localhost") only accepts connections from this network namespace. */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.startsWith("::ffff:127.");
    }
}
