package dev.fwpolicy.sidecar.http;

import java.time.Duration;

/**
 * What one client, or many, can make the API hold or do. Every bound here answers the same
 * question: a sidecar with a 320 MB limit shares its pod with code it does not trust, so the
 * worst case of each must fit next to the policy and the reconcile loop. docs/sidecar.md lists
 * them with what a client gets past each one.
 *
 * @param maxConnections           open connections in all; one more is closed at once
 * @param maxConnectionsPerAddress open connections from one client address, so a flood from one
 *                                 address leaves room for the kubelet's probes and Prometheus
 * @param requestReadTimeout       a request's headers and body must have arrived this long after
 *                                 the connection opened or the previous response ended (a client
 *                                 that sends its headers byte by byte is cut off)
 * @param idleTimeout              a connection with no traffic either way is closed (a client
 *                                 that stops reading its answer)
 * @param smallBodyLimit           bodies of the endpoints that need none or little (everything but
 *                                 /v1/check and /v1/evaluate)
 * @param maxFlows                 flows in one POST /v1/evaluate
 * @param maxExplainedFlows        flows in one POST /v1/evaluate with {@code "explain": true}
 *                                 (each carries the trace of every rule consulted)
 * @param maxTraceSteps            trace steps in one POST /v1/evaluate answer, all flows together:
 *                                 one flow through a 10,000-rule policy can consult every rule,
 *                                 and each step carries its rule (about 500 bytes of JSON)
 * @param heavyWorkers             threads that compile /v1/check and evaluate /v1/evaluate; kept
 *                                 apart from the loop's, so API work never delays a sync
 * @param heavyQueue               heavy requests admitted at once (running or waiting for a
 *                                 worker); more are answered 429
 * @param loopStallAfter           /healthz fails when the reconcile loop's thread has not ticked
 *                                 for this long
 */
public record ApiLimits(int maxConnections, int maxConnectionsPerAddress, Duration requestReadTimeout, Duration idleTimeout,
                        long smallBodyLimit, int maxFlows, int maxExplainedFlows, int maxTraceSteps, int heavyWorkers, int heavyQueue,
                        Duration loopStallAfter) {

    public static final ApiLimits DEFAULT = new ApiLimits(64, 16, Duration.ofSeconds(10), Duration.ofSeconds(60),
            4096, 10_000, 100, 20_000, 2, 4, Duration.ofSeconds(10));

    public ApiLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) throw new IllegalArgumentException("connection limits must be positive");
        if (heavyWorkers < 1 || heavyQueue < heavyWorkers) throw new IllegalArgumentException("heavyQueue must be at least heavyWorkers");
    }

    public ApiLimits withConnections(int total, int perAddress) {
        return new ApiLimits(total, perAddress, requestReadTimeout, idleTimeout, smallBodyLimit, maxFlows, maxExplainedFlows,
                maxTraceSteps, heavyWorkers, heavyQueue, loopStallAfter);
    }

    public ApiLimits withRequestReadTimeout(Duration timeout) {
        return new ApiLimits(maxConnections, maxConnectionsPerAddress, timeout, idleTimeout, smallBodyLimit, maxFlows,
                maxExplainedFlows, maxTraceSteps, heavyWorkers, heavyQueue, loopStallAfter);
    }

    public ApiLimits withLoopStallAfter(Duration stall) {
        return new ApiLimits(maxConnections, maxConnectionsPerAddress, requestReadTimeout, idleTimeout, smallBodyLimit, maxFlows,
                maxExplainedFlows, maxTraceSteps, heavyWorkers, heavyQueue, stall);
    }
}
