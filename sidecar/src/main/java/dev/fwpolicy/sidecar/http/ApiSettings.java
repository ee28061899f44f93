package dev.fwpolicy.sidecar.http;

import java.util.Optional;

/**
 * @param host      interface to listen on (127.0.0.1 unless told otherwise: the API can trigger syncs)
 * @param port      0 picks a free port (tests)
 * @param token     bearer token that mutating endpoints require, when configured (re-read from its file)
 * @param bodyLimit largest request body accepted, in bytes
 */
public record ApiSettings(String host, int port, Optional<BearerToken> token, long bodyLimit) {

    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
}
