package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.compare.Change;
import dev.fwpolicy.engine.compare.ChangeText;
import dev.fwpolicy.engine.compare.Outcome;
import dev.fwpolicy.engine.compare.PacketClass;
import dev.fwpolicy.engine.compare.TypeRange;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.PortRange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The classes of packets two policies decide differently: {@code fwpolicy compare --format json} and {@code POST /v1/check} with {@code compare}. */
public final class CompareJson {
    private CompareJson() {}

    /** {@code {changes, changeCount, openedCount, closedCount}}. */
    public static JsonObject toJson(List<Change> changes) {
        var list = new JsonArray();
        changes.forEach(c -> list.add(change(c)));
        return new JsonObject()
                .put("changes", list)
                .put("changeCount", changes.size())
                .put("openedCount", changes.stream().filter(Change::opens).count())
                .put("closedCount", changes.stream().filter(Change::closes).count());
    }

    public static JsonObject change(Change c) {
        PacketClass p = c.packets();
        var json = new JsonObject()
                .put("effect", ChangeText.kind(c))
                .put("direction", p.direction().keyword())
                .put("family", p.family().label())
                .put("protocol", p.protocol().keyword())
                .put("sources", networks(p.sources()))
                .put("sourcePorts", ports(p.sourcePorts()))
                .put("destinations", networks(p.destinations()))
                .put("destinationPorts", ports(p.destinationPorts()))
                .put("icmpTypes", types(p.icmpTypes()))
                .put("state", p.state().map(s -> s.keyword()).orElse("any"));
        p.loopback().ifPresent(lo -> json.put("loopback", lo));
        return json.put("before", outcome(c.before())).put("after", outcome(c.after()));
    }

    /** {@code {verdict, location, text, rule}}; no {@code rule} when the built-in chain's policy decided. */
    private static JsonObject outcome(Outcome o) {
        var json = new JsonObject().put("verdict", o.verdict().keyword()).put("location", o.location()).put("text", o.text());
        o.rule().ifPresent(r -> json.put("rule", DecisionJson.rule(r)));
        return json;
    }

    private static JsonArray networks(List<Cidr> networks) {
        var out = new JsonArray();
        networks.forEach(n -> out.add(n.withPrefix()));
        return out;
    }

    private static JsonArray ports(List<PortRange> ports) {
        var out = new JsonArray();
        ports.forEach(r -> out.add(r.source()));
        return out;
    }

    private static JsonArray types(List<TypeRange> types) {
        var out = new JsonArray();
        types.forEach(t -> out.add(t.text()));
        return out;
    }
}
