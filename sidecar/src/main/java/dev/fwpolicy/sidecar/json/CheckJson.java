package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.ir.RuleSet;
import io.vertx.core.json.JsonObject;

/** The result of a check, for {@code fwpolicy check --format json} and {@code POST /v1/check} alike. */
public final class CheckJson {
    private CheckJson() {}

    /** @param ok the check passed (the CLI's {@code --werror} also fails on warnings) */
    public static JsonObject toJson(CompileResult result, int fileCount, boolean ok) {
        var rs = result.ruleSet();
        return new JsonObject()
                .put("ok", ok)
                .put("fileCount", fileCount)
                .put("ruleCount", rs.map(RuleSet::ruleCount).orElse(0))
                .put("revision", rs.map(RuleSet::revision).orElse(null))
                .put("errorCount", result.errorCount())
                .put("warningCount", result.warningCount())
                .put("errors", DiagnosticsJson.errors(result.diagnostics()))
                .put("diagnostics", DiagnosticsJson.toJson(result.diagnostics()));
    }
}
