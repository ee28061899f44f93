package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.eval.Decision;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.ir.CompiledRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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
        var trace = new JsonArray();
        for (var s : d.trace()) {
            var step = new JsonObject().put("depth", s.depth()).put("rule", rule(s.rule())).put("matched", s.matched());
            s.mismatch().ifPresent(m -> step.put("mismatch", new JsonObject()
                    .put("field", m.field().name().toLowerCase(java.util.Locale.ROOT)).put("reason", m.reason())));
            trace.add(step);
        }
        return json.put("trace", trace);
    }

    public static JsonObject rule(CompiledRule r) {
        var o = r.origin();
        var json = new JsonObject()
                .put("id", r.id())
                .put("family", r.family().label())
                .put("chain", r.chain())
                .put("kind", o.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("text", o.text())
                .put("iptables", r.saveLine());
        if (o.span().line() > 0) json.put("location", DiagnosticsJson.location(o.span()));
        o.policy().ifPresent(p -> json.put("policy", p));
        o.note().ifPresent(n -> json.put("note", n));
        return json;
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
