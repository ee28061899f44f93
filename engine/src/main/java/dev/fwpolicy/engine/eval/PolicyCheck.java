package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.DiagnosticCounts;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What "check" means, for {@code fwpolicy check} and {@code POST /v1/check} alike: compile, then
 * run the {@code expect} lines of the test blocks. The expectations are part of the policy, so one
 * that does not hold is an error diagnostic (code {@code expectation-failed}) at its own line.
 */
public final class PolicyCheck {
    private final Compiler compiler;

    public PolicyCheck(Compiler compiler) {
        this.compiler = compiler;
    }

    public PolicyCheck() {
        this(new Compiler());
    }

    public CompileResult check(List<SourceFile> sources) {
        var compiled = compiler.compile(sources);
        if (compiled.ruleSet().isEmpty()) return compiled;
        var failed = ExpectationRunner.run(compiled).diagnostics();
        if (failed.isEmpty()) return compiled;
        var all = new ArrayList<Diagnostic>(compiled.diagnostics());
        all.addAll(failed);
        return new CompileResult(compiled.sources(), compiled.files(), compiled.ruleSet(), all,
                compiled.counts().plus(DiagnosticCounts.of(failed)));
    }
}
