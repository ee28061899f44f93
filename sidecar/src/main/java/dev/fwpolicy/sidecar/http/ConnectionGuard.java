package dev.fwpolicy.sidecar.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds what open connections can hold: how many there are (in all and per client address),
 * and how long a client may take to send a request. Each connection has one deadline, armed
 * when it opens and again when a response ends, disarmed when a request has been read whole
 * (headers and body): a client that sends a request line and one header and waits, or trickles
 * bytes to keep an idle timeout from firing, is closed when its deadline passes. While the
 * server answers, no deadline runs (a sync may take seconds).
 *
 * <p>Used only on the API verticle's event loop, so plain maps suffice.
 */
final class ConnectionGuard {
    private static final System.Logger LOG = System.getLogger("fwpolicy.api");

    private final Vertx vertx;
    private final ApiLimits limits;
    private final Map<HttpConnection, Long> deadlines = new HashMap<>();
    private final Map<String, Integer> perAddress = new HashMap<>();
    private final Counter refused;
    private final Counter timedOut;
    private int open;
    private long refusals;

    ConnectionGuard(Vertx vertx, ApiLimits limits, MeterRegistry registry) {
        this.vertx = vertx;
        this.limits = limits;
        this.refused = closed(registry, "limit");
        this.timedOut = closed(registry, "read-timeout");
    }

    private static Counter closed(MeterRegistry registry, String reason) {
        return Counter.builder("fwpolicy.http.connections.closed")
                .description("Connections the API closed on its own: over the connection limits, or a request not read in time")
                .tag("reason", reason).register(registry);
    }

    /** A new connection: admitted (and its first deadline armed) or closed at once. */
    void connected(HttpConnection conn) {
        String address = conn.remoteAddress().hostAddress();
        if (open >= limits.maxConnections() || perAddress.getOrDefault(address, 0) >= limits.maxConnectionsPerAddress()) {
            refused.increment();
            // Logged sparsely: a flood must not turn into a flood of log lines.
            if (Long.bitCount(++refusals) == 1) {
                LOG.log(System.Logger.Level.WARNING, "connection from {0} refused: {1} open ({2} from that address; limits {3} and {4}); "
                        + "{5} refused so far", address, open, perAddress.getOrDefault(address, 0), limits.maxConnections(),
                        limits.maxConnectionsPerAddress(), refusals);
            }
            conn.close();
            return;
        }
        open++;
        perAddress.merge(address, 1, Integer::sum);
        deadlines.put(conn, -1L);
        conn.closeHandler(v -> {
            open--;
            perAddress.computeIfPresent(address, (k, n) -> n == 1 ? null : n - 1);
            var timer = deadlines.remove(conn);
            if (timer != null && timer != -1) vertx.cancelTimer(timer);
        });
        arm(conn);
    }

    /** The request's headers and body are in: the server's turn, no deadline. */
    void requestRead(HttpConnection conn) {
        var timer = deadlines.get(conn);
        if (timer == null) return;
        if (timer != -1) vertx.cancelTimer(timer);
        deadlines.put(conn, -1L);
    }

    /** A response ended: the client has {@code requestReadTimeout} to send the next request. */
    void responded(HttpConnection conn) {
        if (deadlines.containsKey(conn)) arm(conn);
    }

    int open() {
        return open;
    }

    private void arm(HttpConnection conn) {
        var previous = deadlines.get(conn);
        if (previous != null && previous != -1) vertx.cancelTimer(previous);
        long id = vertx.setTimer(Math.max(1, limits.requestReadTimeout().toMillis()), t -> {
            Long current = deadlines.get(conn);
            if (current != null && current == t) {
                deadlines.put(conn, -1L);
                timedOut.increment();
                conn.close();
            }
        });
        deadlines.put(conn, id);
    }
}
