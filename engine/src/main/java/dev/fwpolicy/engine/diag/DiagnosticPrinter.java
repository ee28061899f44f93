package dev.fwpolicy.engine.diag;

import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders diagnostics the way compilers do: the headline, the source line, and a caret
 * under the offending text, so a person can fix it without opening the file.
 */
public final class DiagnosticPrinter {
    private final Map<String, SourceFile> sources;

    public DiagnosticPrinter(List<SourceFile> sources) {
        this.sources = sources.stream().collect(Collectors.toMap(SourceFile::name, Function.identity(), (a, b) -> a));
    }

    public String print(Diagnostic d) {
        var out = new StringBuilder(d.headline()).append('\n');
        appendSnippet(out, d.span().file(), d.span().line(), d.span().column(), d.span().endLine(), d.span().endColumn());
        for (var r : d.related()) {
            out.append("  ").append(r.span().location()).append(": note: ").append(r.message()).append('\n');
        }
        return out.toString();
    }

    public String printAll(List<Diagnostic> diagnostics) {
        var out = new StringBuilder();
        diagnostics.forEach(d -> out.append(print(d)));
        return out.toString();
    }

    private void appendSnippet(StringBuilder out, String file, int line, int col, int endLine, int endCol) {
        var src = sources.get(file);
        if (src == null || line <= 0) return;
        String text = src.line(line).replace('\t', ' ');
        String gutter = String.valueOf(line);
        out.append(" ".repeat(gutter.length())).append(" |\n");
        out.append(gutter).append(" | ").append(text).append('\n');
        int width = endLine == line ? Math.max(1, endCol - col) : Math.max(1, text.length() - col + 1);
        out.append(" ".repeat(gutter.length())).append(" | ")
                .append(" ".repeat(Math.max(0, col - 1))).append("^".repeat(width)).append('\n');
    }
}
