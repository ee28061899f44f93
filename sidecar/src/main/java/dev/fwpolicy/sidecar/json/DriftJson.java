package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.ipset.SetPlan;
import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.reconcile.Drift;
import dev.fwpolicy.engine.reconcile.DriftStatus;
import dev.fwpolicy.engine.reconcile.KernelView;
import dev.fwpolicy.engine.reconcile.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The one JSON shape of a classified rule or chain ({@link Drift}) and of a kernel set's drift, used by {@code diff},
 * {@code state}, {@code eval --against kernel}, {@code GET /v1/state}, {@code GET /v1/diff} and
 * {@code POST /v1/evaluate}: the engine decides the status once, every view prints it this way.
 */
public final class DriftJson {
    private DriftJson() {}

    /**
     * {@code {status, family, chain, position, id, text, desired, kernel, location, packets, bytes}}:
     * {@code text} is the line to show (the policy's for what a sync writes, the kernel's for what
     * it removes), {@code location} the {@code file:line:col} of the statement the identity belongs to.
     */
    public static JsonObject of(Drift d) {
        return of(d, java.util.Optional.empty());
    }

    /** As {@link #of(Drift)}, with the counters of its kernel copy (from the read-back the view was classified on). */
    public static JsonObject of(Drift d, java.util.Optional<Counters> counters) {
        var o = new JsonObject().put("status", d.status().label()).put("family", d.family().label()).put("chain", d.chain())
                .put("position", d.position()).put("id", d.id().orElse(null)).put("text", d.line());
        d.desired().ifPresent(r -> o.put("desired", RuleSpecs.saveLine(r)));
        d.kernel().ifPresent(k -> o.put("kernel", k.saveLine()));
        o.put("location", d.desired().map(DriftJson::location).orElse(null));
        counters.ifPresent(c -> o.put("packets", c.packets()).put("bytes", c.bytes()));
        return o;
    }

    /** Where a rule was written, looked up by its identity: the kernel comment carries no line numbers. */
    static String location(CompiledRule r) {
        return r.origin().span().line() > 0 ? r.origin().span().location() : null;
    }

    /** Only what a sync repairs. */
    public static JsonArray problems(Plan plan) {
        var array = new JsonArray();
        plan.problems().forEach(d -> array.add(of(d)));
        return array;
    }

    /** status label → count, every status present. */
    public static JsonObject summary(Map<DriftStatus, Integer> counts) {
        var summary = new JsonObject();
        counts.forEach((k, v) -> summary.put(k.label(), v));
        return summary;
    }

    /**
     * {@code state} and {@code GET /v1/state}: every owned rule and hashed jump with its status,
     * source and counters, every desired rule or chain the kernel lacks, and the foreign rules in
     * the built-in chains fwpolicy shares (status {@code foreign}).
     */
    public static JsonObject state(String revision, KernelView view) {
        var rules = new JsonArray();
        view.plan().drift().forEach(d -> rules.add(of(d, view.counters(d))));
        return new JsonObject().put("revision", revision).put("backend", JsonWords.backend(view.plan().backend()))
                .put("inSync", view.plan().problems().isEmpty() && view.plan().sets().isEmpty())
                .put("summary", summary(view.plan().countsByStatus())).put("rules", rules).put("sets", sets(view.plan().sets()));
    }

    /**
     * fwpolicy's kernel sets: {@code {setName, change, missingMembers, extraMembers}} per set, where
     * {@code change} is what a sync does to it ({@code in-sync}, {@code created}, {@code edited},
     * {@code swapped}, {@code repaired}, {@code destroyed}, …).
     */
    public static JsonArray sets(SetPlan sets) {
        var array = new JsonArray();
        for (var c : sets.changes()) {
            array.add(new JsonObject().put("setName", c.name()).put("change", c.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    .put("missingMembers", c.missingMembers()).put("extraMembers", c.extraMembers()));
        }
        return array;
    }
}
