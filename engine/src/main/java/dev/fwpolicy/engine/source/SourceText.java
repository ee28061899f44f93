package dev.fwpolicy.engine.source;

/** The text a span covers, on one line with whitespace folded: how a rule is quoted back. */
public final class SourceText {
    private SourceText() {}

    public static String slice(SourceFile file, Span span) {
        var sb = new StringBuilder();
        for (int line = span.line(); line <= span.endLine(); line++) {
            String text = file.line(line);
            int from = line == span.line() ? Math.min(text.length(), Math.max(0, span.column() - 1)) : 0;
            int to = line == span.endLine() ? Math.min(text.length(), Math.max(from, span.endColumn() - 1)) : text.length();
            if (sb.length() > 0) sb.append(' ');
            sb.append(text, from, to);
        }
        return sb.toString().replaceAll("\\s+", " ").strip();
    }
}
