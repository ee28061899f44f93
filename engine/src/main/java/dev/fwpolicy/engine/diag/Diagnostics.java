package dev.fwpolicy.engine.diag;

import dev.fwpolicy.engine.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects diagnostics during one compilation. Not thread-safe; one per run. */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    /** Adds {@code d} unless the same problem at the same place is already known. */
    public void add(Diagnostic d) {
        if (!items.contains(d)) items.add(d);
    }

    public void error(String code, Span span, String message) {
        add(Diagnostic.error(code, span, message));
    }

    public void warning(String code, Span span, String message) {
        add(Diagnostic.warning(code, span, message));
    }

    /** True when an error was already reported inside {@code span} (to avoid follow-on noise). */
    public boolean hasErrorWithin(Span span) {
        return items.stream().anyMatch(d -> d.isError() && d.span().file().equals(span.file())
                && after(d.span().line(), d.span().column(), span.line(), span.column())
                && after(span.endLine(), span.endColumn(), d.span().endLine(), d.span().endColumn()));
    }

    private static boolean after(int line, int col, int refLine, int refCol) {
        return line > refLine || line == refLine && col >= refCol;
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    public int errorCount() {
        return (int) items.stream().filter(Diagnostic::isError).count();
    }

    /** Sorted by file, line, column, so output is stable whatever order checks ran in. */
    public List<Diagnostic> sorted() {
        var copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file())
                .thenComparingInt(d -> d.span().line())
                .thenComparingInt(d -> d.span().column()));
        return List.copyOf(copy);
    }
}
