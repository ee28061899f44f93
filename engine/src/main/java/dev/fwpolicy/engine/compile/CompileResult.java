package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.PolicyFile;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.Optional;

/**
 * What a compilation gives: the rule set when there were no errors, every diagnostic (also
 * warnings when it succeeded), and the parsed files (for fmt, tests and explanations).
 */
public record CompileResult(List<SourceFile> sources, List<PolicyFile> files, Optional<RuleSet> ruleSet,
                            List<Diagnostic> diagnostics) {

    public CompileResult {
        sources = List.copyOf(sources);
        files = List.copyOf(files);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return diagnostics.size() - errorCount();
    }
}
