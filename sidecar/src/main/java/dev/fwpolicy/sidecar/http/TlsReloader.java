package dev.fwpolicy.sidecar.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import java.lang.System.Logger.Level;

/**
 * Re-reads {@code --tls-cert}/{@code --tls-key} every {@link TlsFiles#reloadEvery()} and serves
 * a changed pair to new connections. A pair that cannot be read, does not load, or whose key is
 * not the certificate's (one file renamed, the other not yet) keeps the one in force, and is
 * tried again at the next tick. Used on the API verticle's event loop.
 */
final class TlsReloader {
    private static final System.Logger LOG = System.getLogger("fwpolicy.api");

    private final Vertx vertx;
    private final TlsFiles files;
    private byte[] served;
    private long timerId = -1;

    /** {@code served}: the pair the server was started with. */
    TlsReloader(Vertx vertx, TlsFiles files, TlsFiles.Pair served) {
        this.vertx = vertx;
        this.files = files;
        this.served = served.digest();
    }

    void start(HttpServer server) {
        timerId = vertx.setPeriodic(files.reloadEvery().toMillis(), id -> reload(server));
    }

    void stop() {
        if (timerId != -1) vertx.cancelTimer(timerId);
    }

    private void reload(HttpServer server) {
        byte[] inForce = served;
        vertx.executeBlocking(() -> {
            var pair = files.read();
            if (!pair.sameAs(inForce)) pair.requireMatchingKey(vertx);
            return pair;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.WARNING, "cannot re-read the TLS files ({0}); the certificate in force stays", ar.cause().getMessage());
                return;
            }
            var pair = ar.result();
            if (pair.sameAs(served)) return;
            server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(pair.options()), true).onComplete(up -> {
                if (up.succeeded()) {
                    served = pair.digest();
                    LOG.log(Level.INFO, "TLS certificate reloaded from {0}", files.cert());
                } else {
                    LOG.log(Level.WARNING, "the new TLS certificate or key does not load ({0}); the one in force stays",
                            up.cause().getMessage());
                }
            });
        });
    }
}
