package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.dataplane.DetectedBackend;
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
            for (Change c : plan.changes()) {
                out.printf("%-2s %-4s %-22s %s%n", symbol(c.kind()), c.family().label(), c.chain(), c.line());
            }
        }
        if (payloads) {
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
        plan.families().stream().filter(f -> !f.isEmpty()).forEach(f -> payloads.put(f.family().label(), f.payload()));
        return new JsonObject()
                .put("backend", backend(plan.backend()))
                .put("inSync", plan.isEmpty())
                .put("counts", counts(plan.counts()))
                .put("payloadLines", plan.payloadLines())
                .put("changes", changes)
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
