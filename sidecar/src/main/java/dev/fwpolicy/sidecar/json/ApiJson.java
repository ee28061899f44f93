package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.sidecar.loop.ActivePolicy;
import dev.fwpolicy.sidecar.loop.ServiceSnapshot;
import dev.fwpolicy.sidecar.loop.SyncCounts;
import dev.fwpolicy.sidecar.loop.SyncRecord;
import dev.fwpolicy.sidecar.source.ClusterWatchStatus;
import dev.fwpolicy.sidecar.source.PolicyProblem;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.reconcile.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HTTP API's JSON shapes, in one place so docs and tests have one thing to agree with. */
public final class ApiJson {
    private ApiJson() {}

    /** {@code {code, message, errors}}: every error the API returns; {@code errors} are diagnostics (docs/json.md). */
    public static JsonObject error(String code, String message, List<Diagnostic> diagnostics) {
        return new JsonObject().put("code", code).put("message", message).put("errors", DiagnosticsJson.errors(diagnostics));
    }

    /** {@code /v1/status} with the cluster watches' state, where serve follows the cluster. */
    public static JsonObject status(ServiceSnapshot s, Optional<ClusterWatchStatus> cluster) {
        var json = status(s);
        cluster.ifPresent(c -> json.put("cluster", cluster(c)));
        return json;
    }

    public static JsonObject cluster(ClusterWatchStatus c) {
        var api = c.apiServer();
        var watches = new JsonArray();
        for (var w : c.watches()) {
            watches.add(new JsonObject().put("resource", w.key().kind().resource())
                    .put("namespace", w.key().namespace().orElse(null))
                    .put("labelSelector", w.key().labelSelector())
                    .put("text", w.key().describe())
                    .put("listed", w.listed()).put("watching", w.watching()).put("objectCount", w.objects())
                    .put("failureCount", w.failures())
                    .put("lastFailure", failure(w.lastErrorAt(), w.lastError())));
        }
        return new JsonObject().put("membersKnown", c.listed())
                .put("apiServer", new JsonObject().put("reachable", api.reachable())
                        .put("failingSince", api.failingSince().map(Object::toString).orElse(null))
                        .put("lastContactAt", api.lastSuccessAt().map(Object::toString).orElse(null))
                        .put("lastFailure", failure(api.lastErrorAt(), api.lastError())))
                .put("watches", watches)
                .put("lastChangeAt", c.lastChangeAt().map(Object::toString).orElse(null));
    }

    private static JsonObject failure(Optional<java.time.Instant> at, Optional<String> error) {
        return at.isEmpty() ? null : new JsonObject().put("at", at.get().toString()).put("error", error.orElse(""));
    }

    public static JsonObject status(ServiceSnapshot s) {
        var json = new JsonObject()
                .put("source", s.source())
                .put("sourceGone", s.sourceGone().orElse(null))
                .put("startedAt", s.startedAt().toString())
                .put("ready", s.ready())
                .put("backend", JsonWords.backend(s.backend().name(), s.backend().version(), s.backend().reason()))
                .put("policy", s.policy().map(ApiJson::policy).orElse(null))
                .put("appliedRevision", s.applied().orElse(null))
                .put("inForce", s.inForce())
                .put("lastSync", s.lastSync().map(ApiJson::sync).orElse(null))
                .put("lastSuccessfulSync", s.lastSuccess().map(ApiJson::sync).orElse(null))
                .put("lastError", s.problem().map(ApiJson::problem).orElse(null))
                .put("mustPass", mustPass(s.mustPass()));
        return json;
    }

    /** The flows every policy must allow, each with where it came from ({@code --must-pass}, {@code api-server}). */
    public static JsonArray mustPass(List<dev.fwpolicy.engine.eval.MustPassFlow> flows) {
        var array = new JsonArray();
        flows.forEach(f -> array.add(new JsonObject().put("text", f.text()).put("origin", f.origin())));
        return array;
    }

    public static JsonObject policy(ActivePolicy p) {
        return new JsonObject().put("revision", p.revision()).put("source", p.source())
                .put("files", new JsonArray(p.files())).put("loadedAt", p.loadedAt().toString())
                .put("ruleCount", p.ruleSet().ruleCount()).put("warnings", DiagnosticsJson.toJson(p.warnings()));
    }

    public static JsonObject sync(SyncRecord r) {
        var json = new JsonObject().put("at", r.at().toString()).put("durationMs", r.duration().toMillis())
                .put("trigger", r.trigger()).put("revision", r.revision()).put("result", r.ok() ? "ok" : "failed");
        r.result().ifPresent(res -> json.put("counts", counts(res.counts()))
                .put("found", DriftJson.summary(res.found()))
                .put("countedAsDrift", r.countedAsDrift())
                .put("restoreInvocations", res.restoreInvocations()).put("applied", res.applied()));
        r.error().ifPresent(e -> json.put("error", e));
        return json;
    }

    public static JsonObject counts(SyncCounts c) {
        return new JsonObject().put("added", c.added()).put("removed", c.removed()).put("moved", c.moved())
                .put("repaired", c.repaired()).put("unchanged", c.unchanged());
    }

    public static JsonObject problem(PolicyProblem p) {
        return new JsonObject().put("at", p.at().toString()).put("reason", p.reason()).put("message", p.message())
                .put("errors", DiagnosticsJson.errors(p.diagnostics()))
                .put("diagnostics", DiagnosticsJson.toJson(p.diagnostics()));
    }

    /**
     * {@code GET /v1/rules}: the policy in force, each rule with its running counters
     * ({@code packets}, {@code bytes}, {@code packetsSinceStart}) once a sync has read them.
     */
    public static JsonObject rules(ActivePolicy p, dev.fwpolicy.sidecar.loop.HitTotals hits) {
        var byId = new HashMap<String, dev.fwpolicy.sidecar.loop.HitTotals.Rule>();
        hits.rules().forEach(h -> byId.put(h.rule().id(), h));
        var array = new JsonArray();
        Map<String, Integer> positions = new HashMap<>();
        p.ruleSet().allRules().forEach(r -> {
            int position = positions.merge(r.family().label() + "/" + r.chain(), 1, Integer::sum);
            var json = rule(r, position);
            var h = byId.get(r.id());
            if (h != null) {
                json.put("packets", h.total().packets()).put("bytes", h.total().bytes())
                        .put("packetsSinceStart", h.sinceStart().packets());
            }
            array.add(json);
        });
        return new JsonObject().put("revision", p.revision()).put("table", FilterTable.NAME).put("ruleCount", array.size())
                .put("countersAt", hits.readAt().map(Object::toString).orElse(null)).put("rules", array);
    }

    /** A rule of {@code GET /v1/rules}: the shape of {@link DecisionJson#rule} plus its place in its chain. */
    public static JsonObject rule(CompiledRule r, int position) {
        return DecisionJson.rule(r).put("position", position)
                .put("action", dev.fwpolicy.engine.iptables.IptablesText.target(r.target(), r.family()));
    }

    /** {@code GET /v1/diff}: what a sync would repair, classified, and the exact payloads. */
    public static JsonObject diff(String revision, Plan plan) {
        var payloads = new JsonObject();
        plan.families().stream().filter(f -> !f.isEmpty()).forEach(f -> payloads.put(f.family().label(), f.payload()));
        var c = plan.counts();
        return new JsonObject().put("revision", revision).put("inSync", plan.isEmpty())
                .put("counts", counts(new SyncCounts(c.added(), c.removed(), c.moved(), c.repaired(), c.unchanged())))
                .put("changes", DriftJson.problems(plan)).put("payloads", payloads);
    }

    public static JsonObject check(dev.fwpolicy.engine.compile.CompileResult result, int files) {
        return CheckJson.toJson(result, files, !result.hasErrors());
    }
}
