package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.sidecar.json.DecisionJson;
import dev.fwpolicy.sidecar.loop.KernelRuleState;
import dev.fwpolicy.sidecar.loop.KernelState;
import dev.fwpolicy.sidecar.loop.NoPolicyException;
import dev.fwpolicy.sidecar.loop.ReconcileLoop;
import dev.fwpolicy.engine.eval.Decision;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.eval.FlowSyntaxException;
import dev.fwpolicy.engine.eval.KernelRules;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/evaluate}: would these packets pass, and which rule decides?
 *
 * <p>Body: {@code {"flow": "inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443"}} or
 * {@code {"flows": ["…", …]}}, optional {@code "against": "desired" | "kernel"} (also as a
 * query parameter) and {@code "explain": true|false} (the trace of every rule consulted;
 * default true for one flow, false for a batch). {@code desired} walks the policy in force;
 * {@code kernel} reads fwpolicy's chains back and walks what the kernel holds, listing how it
 * differs from the policy. The evaluator for the policy in force is built once per revision.
 *
 * <p>Bounded by {@link ApiLimits}: at most {@code maxFlows} flows, and {@code maxExplainedFlows}
 * with traces (a trace lists every rule consulted: thousands of them for one flow through a
 * large policy); past either the client gets 400 {@code TooManyFlows} naming the limit, before
 * any work is done.
 */
final class EvaluateApi {
    private final WorkerExecutor workers;
    private final ReconcileLoop loop;
    private volatile Cached cached;

    private record Cached(RuleSet ruleSet, Evaluator evaluator) {}

    /** A request the client got wrong: 400 with this code. */
    static final class BadRequest extends Exception {
        final String code;

        BadRequest(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Reading the kernel failed (a 502 for the client), as opposed to evaluating what was read. */
    static final class KernelReadFailed extends Exception {
        KernelReadFailed(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    record Request(List<Flow> flows, boolean kernel, boolean explain) {}

    EvaluateApi(WorkerExecutor workers, ReconcileLoop loop) {
        this.workers = workers;
        this.loop = loop;
    }

    static Request parse(RoutingContext ctx, ApiLimits limits) throws BadRequest {
        var body = ctx.body().buffer();
        if (body == null || body.length() == 0) throw new BadRequest("EmptyBody", "expected {\"flow\": \"…\"} or {\"flows\": [\"…\"]}");
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new BadRequest("BadJson", "the body is not a JSON object");
        }
        if (json == null) throw new BadRequest("BadJson", "the body is not a JSON object");
        var texts = new ArrayList<String>();
        boolean batch = false;
        if (json.getValue("flow") instanceof String one) {
            texts.add(one);
        } else if (json.getValue("flows") instanceof JsonArray many && !many.isEmpty()) {
            batch = true;
            if (many.size() > limits.maxFlows()) {
                throw new BadRequest("TooManyFlows", "at most " + limits.maxFlows() + " flows per request (got " + many.size() + ")");
            }
            for (int i = 0; i < many.size(); i++) {
                if (!(many.getValue(i) instanceof String s)) throw new BadRequest("BadField", "flows[" + i + "] must be a string");
                texts.add(s);
            }
        } else {
            throw new BadRequest("BadField", "expected {\"flow\": \"…\"} or {\"flows\": [\"…\"]}");
        }
        String against = ctx.queryParams().get("against");
        if (json.getValue("against") instanceof String a) against = a;
        if (against == null) against = "desired";
        if (!against.equals("desired") && !against.equals("kernel")) {
            throw new BadRequest("BadField", "against must be \"desired\" or \"kernel\", not \"" + against + "\"");
        }
        boolean explain = json.getValue("explain") instanceof Boolean b ? b : !batch;
        if (explain && texts.size() > limits.maxExplainedFlows()) {
            throw new BadRequest("TooManyFlows", "at most " + limits.maxExplainedFlows() + " flows per request with \"explain\": true (got "
                    + texts.size() + "); ask without explain, or in smaller batches");
        }
        var flows = new ArrayList<Flow>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                flows.add(Flow.parse(texts.get(i)));
            } catch (FlowSyntaxException e) {
                throw new BadRequest("BadFlow", (batch ? "flows[" + i + "]: " : "flow: ") + e.getMessage());
            }
        }
        return new Request(flows, against.equals("kernel"), explain);
    }

    /**
     * Evaluates on the API's workers (a batch over a 10,000-rule set takes a while). Only a
     * failure to read the kernel comes back as {@link KernelReadFailed}.
     */
    Future<JsonObject> evaluate(Request request) {
        var policy = loop.snapshot().policy();
        if (policy.isEmpty()) return Future.failedFuture(new NoPolicyException("no policy has been loaded yet"));
        var desired = policy.get().ruleSet();
        if (!request.kernel()) {
            return workers.executeBlocking(ApiVerticle.guarded(
                    () -> answer("desired", desired.revision(), evaluator(desired), request, List.of())), false);
        }
        return loop.kernelState().recover(e -> Future.failedFuture(e instanceof NoPolicyException ? e : new KernelReadFailed(e)))
                .compose(state -> workers.executeBlocking(ApiVerticle.guarded(() -> {
                    var back = KernelRules.read(dumps(state, request, desired), state.kernelSets(), desired);
                    return answer("kernel", desired.revision(), new Evaluator(back.ruleSet()), request, back.drift());
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

    private static JsonObject answer(String against, String revision, Evaluator evaluator, Request request,
                                     List<KernelRules.Drift> drift) {
        var decisions = new JsonArray();
        for (var flow : request.flows()) {
            Decision d = request.explain() ? evaluator.evaluate(flow) : evaluator.decide(flow);
            decisions.add(DecisionJson.toJson(d));
        }
        var json = new JsonObject().put("against", against).put("revision", revision).put("decisions", decisions);
        if (against.equals("kernel")) {
            var list = new JsonArray();
            for (var d : drift) {
                var o = new JsonObject().put("kind", d.kind().label()).put("family", d.family().label())
                        .put("chain", d.chain());
                d.id().ifPresent(i -> o.put("id", i));
                d.desired().ifPresent(x -> o.put("policy", x));
                d.kernel().ifPresent(x -> o.put("kernel", x));
                list.add(o);
            }
            json.put("drift", list);
        }
        return json;
    }

    /**
     * The kernel state as the iptables-save text {@link KernelRules} reads: chain headers
     * for every owned chain a rule lives in or jumps to, then the rules in kernel order.
     * MISSING entries are desired rules the kernel lacks, so they are left out.
     */
    static EnumMap<Family, String> dumps(KernelState state, Request request, RuleSet desired) {
        var sets = KernelRules.modelledSets(state.kernelSets(), desired);
        var out = new EnumMap<Family, String>(Family.class);
        for (var family : Family.values()) {
            if (request.flows().stream().noneMatch(f -> f.family() == family)) continue;
            var chains = new LinkedHashSet<String>();
            var lines = new StringBuilder();
            for (var r : state.rules()) {
                if (!r.family().equals(family.label()) || r.status() == KernelRuleState.Status.MISSING) continue;
                if (RuleSet.isOwnedChain(r.chain())) chains.add(r.chain());
                var parsed = KernelRules.parse(family, r.chain(), r.spec(), sets);
                if (parsed.target() instanceof Target.Jump j && RuleSet.isOwnedChain(j.chain())) chains.add(j.chain());
                lines.append("-A ").append(r.chain()).append(' ').append(r.spec()).append('\n');
            }
            var sb = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
            chains.forEach(c -> sb.append(':').append(c).append(" - [0:0]\n"));
            out.put(family, sb.append(lines).append("COMMIT\n").toString());
        }
        return out;
    }
}
