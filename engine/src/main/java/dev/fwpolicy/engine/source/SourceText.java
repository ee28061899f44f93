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
        return foldWhitespace(sb);
    }

    /** Runs of whitespace to one space, ends stripped; by hand, as it runs once per compiled rule. */
    private static String foldWhitespace(CharSequence text) {
        var out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) { // what regex \s matched
                space = out.length() > 0;
            } else {
                if (space) out.append(' ');
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }
}
