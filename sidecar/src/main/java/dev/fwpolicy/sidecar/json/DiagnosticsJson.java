package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.source.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Diagnostics as JSON, for editors, CI annotations and the HTTP API: one shape everywhere
 * ({@code docs/json.md}), {@code location} the {@code file:line:col} a person reads and {@code span}
 * the range an editor underlines.
 */
public final class DiagnosticsJson {
    private DiagnosticsJson() {}

    /** Every diagnostic. */
    public static JsonArray toJson(List<Diagnostic> diagnostics) {
        var array = new JsonArray();
        diagnostics.forEach(d -> array.add(diagnostic(d)));
        return array;
    }

    /** Only the errors, in the same shape. */
    public static JsonArray errors(List<Diagnostic> diagnostics) {
        return toJson(diagnostics.stream().filter(Diagnostic::isError).toList());
    }

    public static JsonObject diagnostic(Diagnostic d) {
        var related = new JsonArray();
        d.related().forEach(r -> related.add(new JsonObject().put("location", r.span().location()).put("span", span(r.span()))
                .put("message", r.message())));
        return new JsonObject()
                .put("severity", d.severity().label())
                .put("code", d.code())
                .put("message", d.message())
                .put("location", d.span().location())
                .put("span", span(d.span()))
                .put("related", related);
    }

    public static JsonObject span(Span s) {
        return new JsonObject().put("file", s.file()).put("line", s.line()).put("column", s.column())
                .put("endLine", s.endLine()).put("endColumn", s.endColumn());
    }
}
