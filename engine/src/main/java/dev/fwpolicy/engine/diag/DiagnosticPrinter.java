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
    /** Longest source line quoted whole; longer ones are cut to this many characters. */
    static final int MAX_SHOWN = 120;
    private static final int CONTEXT_BEFORE = 40;
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

    /**
     * One column per character, as the caret counts: a tab as a space, and any other control
     * character (already an error) as U+FFFD so that quoting a line cannot drive the terminal.
     */
    private static String printable(String line) {
        var sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            sb.append(c == '\t' ? ' ' : Character.getType(c) == Character.CONTROL || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(line.charAt(i - 1))) ? '\uFFFD' : c);
        }
        return sb.toString();
    }

    private void appendSnippet(StringBuilder out, String file, int line, int col, int endLine, int endCol) {
        var src = sources.get(file);
        if (src == null || line <= 0) return;
        String text = printable(src.line(line));
        int width = endLine == line ? Math.max(1, endCol - col) : Math.max(1, text.length() - col + 1);
        int caret = Math.max(0, col - 1);
        if (text.length() > MAX_SHOWN) {
            // A 10,000-character line quoted once per error would flood the terminal: show a
            // window around the caret, marked with '…' where it was cut.
            int from = Math.max(0, Math.min(caret - CONTEXT_BEFORE, text.length() - MAX_SHOWN));
            int to = Math.min(text.length(), from + MAX_SHOWN);
            text = (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
            caret = caret - from + (from > 0 ? 1 : 0);
            width = Math.max(1, Math.min(width, to - (col - 1)));
        }
        String gutter = String.valueOf(line);
        out.append(" ".repeat(gutter.length())).append(" |\n");
        out.append(gutter).append(" | ").append(text).append('\n');
        out.append(" ".repeat(gutter.length())).append(" | ")
                .append(" ".repeat(caret)).append("^".repeat(width)).append('\n');
    }
}
