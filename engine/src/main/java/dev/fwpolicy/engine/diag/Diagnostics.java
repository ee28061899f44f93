package dev.fwpolicy.engine.diag;

import dev.fwpolicy.engine.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects diagnostics during one compilation. Not thread-safe; one per run.
 *
 * <p>Bounded: after {@link #MAX_PER_SEVERITY} errors (or warnings) further ones are only
 * counted, and {@link #sorted()} ends with one {@code too-many-errors} (or
 * {@code too-many-warnings}) diagnostic that says how many were left out. Hostile input (a
 * megabyte of stray characters, 40,000 shadowed rules) then costs a bounded report, not one
 * diagnostic per byte, and producers can ask {@link #full()} to stop early.
 */
public final class Diagnostics {
    public static final int MAX_PER_SEVERITY = 100;

    private final List<Diagnostic> items = new ArrayList<>();
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Set<Diagnostic> seen = new HashSet<>();
    private final Map<Severity, Integer> kept = new EnumMap<>(Severity.class);
    private final Map<Severity, Cut> cuts = new EnumMap<>(Severity.class);
    private boolean stoppedEarly;

    /** How many of one severity were left out, and where the first of them was. */
    private record Cut(int count, Span first) {}

    /** Adds {@code d} unless the same problem at the same place is already known. */
    public void add(Diagnostic d) {
        if (seen.contains(d)) return;
        if (kept.getOrDefault(d.severity(), 0) >= MAX_PER_SEVERITY) {
            cut(d.severity(), 1, d.span());
            return;
        }
        seen.add(d);
        items.add(d);
        kept.merge(d.severity(), 1, Integer::sum);
        if (d.isError()) errors.add(d);
    }

    public void error(String code, Span span, String message) {
        add(Diagnostic.error(code, span, message));
    }

    public void warning(String code, Span span, String message) {
        add(Diagnostic.warning(code, span, message));
    }

    /** Counts {@code count} errors that were found but never built (past a source's own cap). */
    public void cutErrors(int count, Span near) {
        cut(Severity.ERROR, count, near);
    }

    /**
     * A producer stopped looking at the cap (the parser gives up on a file), so the number
     * of errors left is not known: the report says so instead of a count.
     */
    public void stoppedEarly(Span near) {
        stoppedEarly = true;
        cuts.merge(Severity.ERROR, new Cut(0, near), (a, b) -> a);
    }

    private void cut(Severity severity, int count, Span near) {
        if (count <= 0) return;
        cuts.merge(severity, new Cut(count, near), (a, b) -> new Cut(a.count + b.count, a.first));
    }

    /** True once the error cap is reached: further errors would only be counted. */
    public boolean full() {
        return kept.getOrDefault(Severity.ERROR, 0) >= MAX_PER_SEVERITY;
    }

    /** True when an error was already reported inside {@code span} (to avoid follow-on noise). */
    public boolean hasErrorWithin(Span span) {
        return errors.stream().anyMatch(d -> d.span().file().equals(span.file())
                && after(d.span().line(), d.span().column(), span.line(), span.column())
                && after(span.endLine(), span.endColumn(), d.span().endLine(), d.span().endColumn()));
    }

    private static boolean after(int line, int col, int refLine, int refCol) {
        return line > refLine || line == refLine && col >= refCol;
    }

    public boolean hasErrors() {
        return !errors.isEmpty() || cuts.containsKey(Severity.ERROR);
    }

    /** Every error found, also those cut from the report. */
    public int errorCount() {
        return errors.size() + (cuts.containsKey(Severity.ERROR) ? cuts.get(Severity.ERROR).count : 0);
    }

    /** Every error and warning found, also those cut from the report (what a summary must say). */
    public DiagnosticCounts counts() {
        int warnings = kept.getOrDefault(Severity.WARNING, 0) + (cuts.containsKey(Severity.WARNING) ? cuts.get(Severity.WARNING).count : 0);
        return new DiagnosticCounts(errorCount(), warnings, stoppedEarly);
    }

    /** The {@code too-many-errors}/{@code too-many-warnings} entry {@link #sorted()} ends with: a count, not a problem. */
    public static boolean isCutMarker(Diagnostic d) {
        return d.code().equals("too-many-" + d.severity().label() + "s");
    }

    /**
     * Sorted by file, line, column, so output is stable whatever order checks ran in; when
     * some were cut, the list ends with one entry per severity saying how many and where the
     * first cut one was.
     */
    public List<Diagnostic> sorted() {
        var copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file())
                .thenComparingInt(d -> d.span().line())
                .thenComparingInt(d -> d.span().column()));
        cuts.forEach((severity, cut) -> {
            String kind = severity.label() + "s";
            String message = severity == Severity.ERROR && stoppedEarly
                    ? String.format(java.util.Locale.ROOT, "stopped here after the first %d errors%s; fix those and check again", MAX_PER_SEVERITY,
                            cut.count > 0 ? String.format(java.util.Locale.ROOT, " (%,d more were found before that)", cut.count) : "")
                    : String.format(java.util.Locale.ROOT, "%,d more %s not shown (the first of them is here): only the first %d are reported",
                            cut.count, kind, MAX_PER_SEVERITY);
            copy.add(new Diagnostic(severity, "too-many-" + kind, cut.first, message, List.of()));
        });
        return List.copyOf(copy);
    }
}
