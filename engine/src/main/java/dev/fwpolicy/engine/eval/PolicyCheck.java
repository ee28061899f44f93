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
 * that does not hold is an error diagnostic (code {@code expectation-failed}) at its own line. A
 * policy that would cut off a must-pass flow is refused ({@link LockoutGuard}), so a check says
 * what {@code apply} or a reload in {@code serve} would do with it.
 */
public final class PolicyCheck {
    private final Compiler compiler;
    private final LockoutGuard guard;

    public PolicyCheck(Compiler compiler, LockoutGuard guard) {
        this.compiler = compiler;
        this.guard = guard;
    }

    public PolicyCheck(Compiler compiler) {
        this(compiler, LockoutGuard.NONE);
    }

    public PolicyCheck() {
        this(new Compiler());
    }

    public CompileResult check(List<SourceFile> sources) {
        var compiled = compiler.compile(sources);
        if (compiled.ruleSet().isEmpty()) return compiled;
        var failed = ExpectationRunner.run(compiled).diagnostics();
        if (failed.isEmpty()) return guard.apply(compiled);
        var all = new ArrayList<Diagnostic>(compiled.diagnostics());
        all.addAll(failed);
        return guard.apply(new CompileResult(compiled.sources(), compiled.files(), compiled.ruleSet(), all,
                compiled.counts().plus(DiagnosticCounts.of(failed))));
    }
}
