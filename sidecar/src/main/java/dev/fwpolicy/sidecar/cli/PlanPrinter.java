package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.ipset.SetChange;
import dev.fwpolicy.engine.reconcile.Change;
import dev.fwpolicy.engine.reconcile.ChangeCounts;
import dev.fwpolicy.engine.reconcile.Plan;
import dev.fwpolicy.engine.reconcile.SyncReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;

/** How {@code diff} and {@code apply} show plans and results, as text or JSON. */
final class PlanPrinter {
    private PlanPrinter() {}

    static void text(PrintWriter out, Plan plan, boolean payloads) {
        out.println("backend: " + backendLine(plan.backend()));
        if (plan.isEmpty()) {
            out.println("in sync: nothing to change");
        } else {
            for (var s : plan.sets().changes()) {
                if (s.kind() == SetChange.Kind.IN_SYNC) continue;
                out.printf("%-2s %-4s %-22s %s%n", "s", "set", s.name(), s.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + " (missing-member " + s.missingMembers() + ", extra-member " + s.extraMembers() + ")");
            }
            for (Change c : plan.changes()) {
                out.printf("%-2s %-4s %-22s %s%n", symbol(c.kind()), c.family().label(), c.chain(), c.line());
            }
        }
        plan.sets().problems().forEach(p -> out.println("cannot repair: " + p));
        if (payloads) {
            if (!plan.sets().isEmpty()) {
                out.println("--- set payload (ipset restore, before the iptables payloads) ---");
                out.print(plan.sets().payload());
            }
            plan.families().stream().filter(f -> !f.isEmpty()).forEach(f -> {
                out.println("--- " + f.family().label() + " payload (iptables-restore --noflush --wait) ---");
                out.print(f.payload());
            });
        }
        out.println(counts("summary", plan.counts()) + ", " + plan.payloadLines() + " payload line(s)");
    }

    static String counts(String label, ChangeCounts c) {
        return "%s: added %d, removed %d, moved %d, repaired %d, unchanged %d".formatted(label, c.added(), c.removed(),
                c.moved(), c.repaired(), c.unchanged());
    }

    static String backendLine(DetectedBackend b) {
        return b.backend().label() + " (" + b.version() + "; " + b.reason() + ")";
    }

    private static String symbol(Change.Kind kind) {
        return switch (kind) {
            case ADD -> "+";
            case REMOVE -> "-";
            case MOVE -> ">";
            case REPAIR -> "~";
            case CREATE_CHAIN -> "+:";
            case DELETE_CHAIN -> "-:";
        };
    }

    static JsonObject json(Plan plan) {
        var changes = new JsonArray();
        for (Change c : plan.changes()) {
            changes.add(new JsonObject().put("kind", c.kind().name().toLowerCase()).put("family", c.family().label())
                    .put("chain", c.chain()).put("id", c.id().orElse(null)).put("line", c.line()));
        }
        var payloads = new JsonObject();
        if (!plan.sets().isEmpty()) payloads.put("ipset", plan.sets().payload());
        plan.families().stream().filter(f -> !f.isEmpty()).forEach(f -> payloads.put(f.family().label(), f.payload()));
        var sets = new JsonArray();
        for (var s : plan.sets().changes()) {
            sets.add(new JsonObject().put("name", s.name()).put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    .put("missing-member", s.missingMembers()).put("extra-member", s.extraMembers()));
        }
        return new JsonObject()
                .put("backend", backend(plan.backend()))
                .put("inSync", plan.isEmpty())
                .put("counts", counts(plan.counts()))
                .put("payloadLines", plan.payloadLines())
                .put("changes", changes)
                .put("sets", sets)
                .put("setProblems", new JsonArray(java.util.List.copyOf(plan.sets().problems())))
                .put("payloads", payloads);
    }

    static JsonObject json(SyncReport r) {
        return new JsonObject()
                .put("ok", true)
                .put("backend", backend(r.backend()))
                .put("counts", counts(r.counts()))
                .put("restoreInvocations", r.restoreInvocations())
                .put("payloadLines", r.payloadLines())
                .put("attempts", r.attempts())
                .put("renderMismatches", r.renderMismatches())
                .put("sets", new JsonObject().put("missing-member", r.sets().missingMembers()).put("extra-member", r.sets().extraMembers())
                        .put("restoreInvocations", r.sets().restoreInvocations()).put("payloadLines", r.sets().payloadLines()))
                .put("durationMillis", r.duration().toMillis())
                .put("warnings", new JsonArray(new ArrayList<Object>(r.warnings())));
    }

    private static JsonObject backend(DetectedBackend b) {
        return new JsonObject().put("name", b.backend().label()).put("version", b.version()).put("reason", b.reason());
    }

    private static JsonObject counts(ChangeCounts c) {
        return new JsonObject().put("added", c.added()).put("removed", c.removed()).put("moved", c.moved())
                .put("repaired", c.repaired()).put("unchanged", c.unchanged());
    }
}
