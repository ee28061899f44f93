package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.ipset.SetChange;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.reconcile.Drift;
import dev.fwpolicy.engine.reconcile.DriftStatus;
import dev.fwpolicy.engine.reconcile.PlanOp;
import dev.fwpolicy.sidecar.json.DriftJson;
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
            for (Drift d : plan.problems()) {
                out.printf("%-2s %-4s %-22s %-13s %s%n", symbol(d.status()), d.family().label(), d.chain(), d.status().label(), d.line());
            }
            for (var s : plan.sets().changes()) {
                if (s.kind() == SetChange.Kind.IN_SYNC) continue;
                out.printf("%-2s %-4s %-22s %-13s %s%n", "s", "set", s.name(), s.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                        "missing-member " + s.missingMembers() + ", extra-member " + s.extraMembers());
            }
            // Chains no longer desired go once the jumps into them are gone.
            plan.families().forEach(f -> f.ops().stream().filter(op -> op instanceof PlanOp.DeleteChain).forEach(op ->
                    out.printf("%-2s %-4s %-22s %-13s %s%n", "-:", f.family().label(), op.chain(), "unknown", op.restoreLine())));
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

    /** What a sync does about it: + add, - remove, > move, ~ repair, +: create the chain. */
    static String symbol(DriftStatus status) {
        return switch (status) {
            case MISSING, MISSING_JUMP -> "+";
            case DUPLICATE, UNKNOWN -> "-";
            case MOVED -> ">";
            case TAMPERED -> "~";
            case MISSING_CHAIN -> "+:";
            case MISSING_MEMBER, EXTRA_MEMBER -> "s";
            case IN_SYNC, FOREIGN -> " ";
        };
    }

    static JsonObject json(Plan plan) {
        var changes = DriftJson.problems(plan);
        var payloads = new JsonObject();
        if (!plan.sets().isEmpty()) payloads.put("ipset", plan.sets().payload());
        plan.families().stream().filter(f -> !f.isEmpty()).forEach(f -> payloads.put(f.family().label(), f.payload()));
        return new JsonObject()
                .put("backend", backend(plan.backend()))
                .put("inSync", plan.isEmpty())
                .put("counts", counts(plan.counts()))
                .put("payloadLines", plan.payloadLines())
                .put("summary", DriftJson.summary(plan.countsByStatus()))
                .put("changes", changes)
                .put("sets", DriftJson.sets(plan.sets()))
                .put("setProblems", new JsonArray(new ArrayList<Object>(plan.sets().problems())))
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
                .put("setSync", new JsonObject().put("missingMembers", r.sets().missingMembers()).put("extraMembers", r.sets().extraMembers())
                        .put("restoreInvocations", r.sets().restoreInvocations()).put("payloadLines", r.sets().payloadLines()))
                .put("durationMs", r.duration().toMillis())
                .put("warnings", new JsonArray(new ArrayList<Object>(r.warnings())));
    }

    private static JsonObject backend(DetectedBackend b) {
        return dev.fwpolicy.sidecar.json.JsonWords.backend(b);
    }

    private static JsonObject counts(ChangeCounts c) {
        return new JsonObject().put("added", c.added()).put("removed", c.removed()).put("moved", c.moved())
                .put("repaired", c.repaired()).put("unchanged", c.unchanged());
    }
}
