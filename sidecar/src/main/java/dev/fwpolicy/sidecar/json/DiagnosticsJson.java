package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.source.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Diagnostics as JSON, for editors, CI annotations and the HTTP API. */
public final class DiagnosticsJson {
    private DiagnosticsJson() {}

    public static JsonArray toJson(List<Diagnostic> diagnostics) {
        var array = new JsonArray();
        for (var d : diagnostics) {
            var related = new JsonArray();
            d.related().forEach(r -> related.add(new JsonObject().put("location", location(r.span())).put("message", r.message())));
            array.add(new JsonObject()
                    .put("severity", d.severity().label())
                    .put("code", d.code())
                    .put("message", d.message())
                    .put("location", location(d.span()))
                    .put("related", related));
        }
        return array;
    }

    public static JsonObject location(Span s) {
        return new JsonObject().put("file", s.file()).put("line", s.line()).put("column", s.column())
                .put("endLine", s.endLine()).put("endColumn", s.endColumn());
    }
}
