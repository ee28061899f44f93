package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.eval.DecidingRule;
import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.eval.Decision;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.ir.CompiledRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An evaluator answer as JSON: for {@code fwpolicy eval --format json} and the HTTP API. */
public final class DecisionJson {
    private DecisionJson() {}

    public static JsonObject toJson(Decision d) {
        var json = new JsonObject()
                .put("flow", flow(d.flow()))
                .put("verdict", d.verdict().keyword())
                .put("location", d.location())
                .put("text", d.text());
        d.rule().ifPresent(r -> json.put("rule", rule(r)));
        // Which kernel set and member decided, and for a set that follows the cluster the pod behind the address.
        if (!d.setMatches().isEmpty()) json.put("setMatches", new JsonArray(List.copyOf(d.setMatches())));
        if (!d.audit().isEmpty()) {
            // What audited policies (or an audited default) would have done: recorded, not enforced.
            var audit = new JsonArray();
            for (var r : d.audit()) {
                audit.add(new JsonObject().put("verdict", r.origin().audited().orElseThrow().keyword())
                        .put("location", DecidingRule.location(r))
                        .put("text", r.origin().text()).put("rule", rule(r)));
            }
            json.put("audit", audit);
        }
        var trace = new JsonArray();
        for (var s : d.trace()) {
            var step = new JsonObject().put("depth", s.depth()).put("rule", rule(s.rule())).put("matched", s.matched());
            s.mismatch().ifPresent(m -> step.put("mismatch", new JsonObject()
                    .put("field", JsonWords.word(m.field())).put("reason", m.reason())));
            trace.add(step);
        }
        return json.put("trace", trace);
    }

    /**
     * A compiled rule, the same in every output: {@code statement} is what the author wrote,
     * {@code iptables} the line the kernel holds, {@code location} where it was written.
     */
    public static JsonObject rule(CompiledRule r) {
        var o = r.origin();
        return new JsonObject()
                .put("id", r.id())
                .put("family", r.family().label())
                .put("chain", r.chain())
                .put("kind", JsonWords.word(o.kind()))
                .put("statement", o.text())
                .put("iptables", RuleSpecs.saveLine(r))
                .put("location", o.span().line() > 0 ? o.span().location() : null)
                .put("policyName", o.policy().orElse(null))
                .put("note", o.note().orElse(null));
    }

    public static JsonObject flow(Flow f) {
        var json = new JsonObject()
                .put("text", f.text())
                .put("direction", f.direction().keyword())
                .put("family", f.family().label())
                .put("state", f.state().keyword())
                .put("loopback", f.loopback());
        f.protocol().ifPresent(p -> json.put("protocol", p.keyword()));
        f.source().ifPresent(a -> json.put("source", a.text()));
        f.sourcePort().ifPresent(p -> json.put("sourcePort", p));
        f.destination().ifPresent(a -> json.put("destination", a.text()));
        f.destinationPort().ifPresent(p -> json.put("destinationPort", p));
        f.icmpType().ifPresent(t -> json.put("icmpType", t));
        return json;
    }
}
