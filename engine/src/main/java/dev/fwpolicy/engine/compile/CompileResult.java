package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.PolicyFile;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.DiagnosticCounts;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.Optional;

/**
 * What a compilation gives: the rule set when there were no errors, the diagnostics to report
 * (also warnings when it succeeded; at most 100 of each), how many there were in all, and the
 * parsed files (for fmt, tests and explanations).
 */
public record CompileResult(List<SourceFile> sources, List<PolicyFile> files, Optional<RuleSet> ruleSet,
                            List<Diagnostic> diagnostics, DiagnosticCounts counts) {

    public CompileResult {
        sources = List.copyOf(sources);
        files = List.copyOf(files);
        diagnostics = List.copyOf(diagnostics);
    }

    /** A result whose diagnostics were never cut: the counts are those of the list. */
    public CompileResult(List<SourceFile> sources, List<PolicyFile> files, Optional<RuleSet> ruleSet, List<Diagnostic> diagnostics) {
        this(sources, files, ruleSet, diagnostics, DiagnosticCounts.of(diagnostics));
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /** Every error found, also those not listed. */
    public long errorCount() {
        return counts.errors();
    }

    /** Every warning found, also those not listed. */
    public long warningCount() {
        return counts.warnings();
    }

    /** {@code "3,412 error(s) (first 100 shown)"}: for summaries, which must give the true total. */
    public String errorsText() {
        return counts.errorsText(diagnostics);
    }

    /** {@code "0 warning(s)"}, {@code "412 warning(s) (first 100 shown)"}. */
    public String warningsText() {
        return counts.warningsText(diagnostics);
    }
}
