package dev.fwpolicy.engine.diag;

import java.util.List;
import java.util.Locale;

/**
 * How many errors and warnings a run found in all, including those left out of the report
 * (at most {@link Diagnostics#MAX_PER_SEVERITY} of each are listed). A summary built from the
 * listed diagnostics alone would say "100 errors" for a file with thousands.
 * {@code errorsAtLeast} is set when a producer gave up counting (the parser stops at the cap),
 * so {@code errors} is a lower bound.
 */
public record DiagnosticCounts(long errors, long warnings, boolean errorsAtLeast) {
    public static final DiagnosticCounts NONE = new DiagnosticCounts(0, 0, false);

    /** Counts of a list that was never cut: every diagnostic in it is counted as it is. */
    public static DiagnosticCounts of(List<Diagnostic> listed) {
        long errors = listed.stream().filter(Diagnostic::isError).count();
        long warnings = listed.stream().filter(d -> d.severity() == Severity.WARNING).count();
        return new DiagnosticCounts(errors, warnings, false);
    }

    public DiagnosticCounts plus(DiagnosticCounts other) {
        return new DiagnosticCounts(errors + other.errors, warnings + other.warnings, errorsAtLeast || other.errorsAtLeast);
    }

    /**
     * {@code "3,412 error(s) (first 100 shown)"}: the true total, and how many of them
     * {@code listed} holds when that is fewer.
     */
    public String errorsText(List<Diagnostic> listed) {
        return part(errors, shown(listed, Severity.ERROR), "error(s)", errorsAtLeast);
    }

    /** {@code "0 warning(s)"}, {@code "412 warning(s) (first 100 shown)"}. */
    public String warningsText(List<Diagnostic> listed) {
        return part(warnings, shown(listed, Severity.WARNING), "warning(s)", false);
    }

    private static long shown(List<Diagnostic> listed, Severity severity) {
        return listed.stream().filter(d -> d.severity() == severity && !Diagnostics.isCutMarker(d)).count();
    }

    private static String part(long total, long shown, String noun, boolean atLeast) {
        var sb = new StringBuilder();
        if (atLeast) sb.append("at least ");
        sb.append(String.format(Locale.ROOT, "%,d %s", total, noun));
        if (shown < total) sb.append(String.format(Locale.ROOT, " (first %,d shown)", shown));
        return sb.toString();
    }
}
