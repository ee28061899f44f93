package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.sidecar.json.DecisionJson;
import dev.fwpolicy.sidecar.loop.NoPolicyException;
import dev.fwpolicy.sidecar.loop.ReconcileLoop;
import dev.fwpolicy.engine.eval.Decision;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.KernelModel;
import dev.fwpolicy.sidecar.json.DriftJson;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;

/**
 * {@code POST /v1/evaluate}: would these packets pass, and which rule decides?
 *
 * <p>Body: {@code {"flow": "inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443"}} or
 * {@code {"flows": ["…", …]}}, optional {@code "against": "desired" | "kernel"} (also as a
 * query parameter) and {@code "explain": true|false} (the trace of every rule consulted;
 * default true for one flow, false for a batch). {@code desired} walks the policy in force;
 * {@code kernel} reads the kernel once, classified by the reconciler's one drift classifier, and
 * walks what fwpolicy's chains hold (parsed strictly, with the built-in chains' real policies),
 * listing the drift first. The evaluator for the policy in force is built once per revision.
 *
 * <p>Bounded by {@link ApiLimits}: at most {@code maxFlows} flows, and {@code maxExplainedFlows}
 * with traces (a trace lists every rule consulted: thousands of them for one flow through a
 * large policy); past either the client gets 400 {@code TooManyFlows} naming the limit, before
 * any work is done.
 */
final class EvaluateApi {
    private final WorkerExecutor workers;
    private final ReconcileLoop loop;
    private final int maxTraceSteps;
    private volatile Cached cached;

    private record Cached(RuleSet ruleSet, Evaluator evaluator) {}

    /** Reading the kernel failed (a 502 for the client), as opposed to evaluating what was read. */
    static final class KernelReadFailed extends Exception {
        KernelReadFailed(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The traces asked for would list more rules than one answer may carry: the client's to split. */
    static final class TraceTooLong extends RuntimeException {
        TraceTooLong(String message) {
            super(message);
        }
    }

    EvaluateApi(WorkerExecutor workers, ReconcileLoop loop, int maxTraceSteps) {
        this.workers = workers;
        this.loop = loop;
        this.maxTraceSteps = maxTraceSteps;
    }

    /**
     * Evaluates on the API's workers (a batch over a 10,000-rule set takes a while). Only a
     * failure to read the kernel comes back as {@link KernelReadFailed}.
     */
    Future<JsonObject> evaluate(EvaluateRequest request) {
        var policy = loop.snapshot().policy();
        if (policy.isEmpty()) return Future.failedFuture(new NoPolicyException("no policy has been loaded yet"));
        var desired = policy.get().ruleSet();
        if (!request.kernel()) {
            return workers.executeBlocking(ApiVerticle.guarded(
                    () -> answer("desired", desired.revision(), evaluator(desired), request)), false);
        }
        var asked = EnumSet.noneOf(Family.class);
        request.flows().forEach(f -> asked.add(f.family()));
        return loop.inspect(false).recover(e -> Future.failedFuture(e instanceof NoPolicyException ? e : new KernelReadFailed(e)))
                .compose(view -> workers.executeBlocking(ApiVerticle.guarded(() -> {
                    for (Family f : asked) {
                        if (!view.tables().containsKey(f)) {
                            throw new KernelReadFailed(new IllegalStateException(f.label() + " is not managed (--ip-families)"));
                        }
                    }
                    return kernelAnswer(desired.revision(), KernelModel.of(view, asked), request);
                }), false));
    }

    private Evaluator evaluator(RuleSet desired) {
        var c = cached;
        if (c == null || c.ruleSet() != desired) {
            c = new Cached(desired, new Evaluator(desired));
            cached = c;
        }
        return c.evaluator();
    }

    private JsonObject answer(String against, String revision, Evaluator evaluator, EvaluateRequest request) {
        var decisions = new JsonArray();
        int steps = 0;
        for (int i = 0; i < request.flows().size(); i++) {
            Decision d = request.explain() ? evaluator.evaluate(request.flows().get(i)) : evaluator.decide(request.flows().get(i));
            steps += d.trace().size();
            if (steps > maxTraceSteps) {
                // Counted before each trace becomes JSON: what is held is at most one flow's trace past the limit.
                throw new TraceTooLong("the traces would list more than " + maxTraceSteps + " rules (limit per answer; "
                        + "flows[" + i + "] reached it): ask for fewer flows with \"explain\": true, or without it");
            }
            decisions.add(DecisionJson.toJson(d));
        }
        return new JsonObject().put("against", against).put("revision", revision).put("decisions", decisions);
    }

    /**
     * Against the kernel: the drift the one classifier found, then the decisions, unless part of
     * fwpolicy's chains cannot be modelled ({@code unmodelled}): then no verdict is certain and
     * none is given.
     */
    private JsonObject kernelAnswer(String revision, KernelModel model, EvaluateRequest request) {
        var drift = new JsonArray();
        model.drift().forEach(d -> drift.add(DriftJson.of(d)));
        JsonObject json;
        if (model.unmodelled().isEmpty()) {
            json = answer("kernel", revision, model.evaluator(), request);
        } else {
            json = new JsonObject().put("against", "kernel").put("revision", revision).put("decisions", new JsonArray());
        }
        var sets = new JsonArray();
        model.setDrift().forEach(x -> sets.add(new JsonObject().put("setName", x.name()).put("missingMembers", x.missingMembers())
                .put("extraMembers", x.extraMembers())));
        return json.put("drift", drift).put("setDrift", sets).put("unmodelled", new JsonArray(model.unmodelled()));
    }
}
