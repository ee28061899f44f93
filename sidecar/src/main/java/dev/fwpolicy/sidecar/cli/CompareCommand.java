package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.compare.Change;
import dev.fwpolicy.engine.compare.ChangeText;
import dev.fwpolicy.engine.compare.PolicyComparison;
import dev.fwpolicy.sidecar.json.CompareJson;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.compile.CompileResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Which packets does a change of policy decide differently, and by which rules?",
            "Lists every class of packets whose verdict differs between OLD and NEW (each a file or a directory of",
            "*.fwpolicy files, one rule set), as ranges of protocol, addresses, ports, ICMP type and state, with the",
            "deciding rule (file:line:col) before and after.",
            "Exact: the classes do not overlap and together are every packet whose verdict changed.",
            "Exit 0, or 1 when --fail-on matches (or a policy does not compile)."})
public final class CompareCommand implements Callable<Integer> {
    @Mixin
    CompileOptions compileOptions;

    @Parameters(index = "0", paramLabel = "OLD", description = "The policy before: a file or a directory of *.fwpolicy files.")
    Path before;

    @Parameters(index = "1", paramLabel = "NEW", description = "The policy after: a file or a directory of *.fwpolicy files.")
    Path after;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--fail-on", paramLabel = "opened|closed|any",
            description = {"Exit 1 when some packets are allowed now and were not (opened),",
                "were allowed and are not (closed), or get any other verdict (any)."})
    FailOn failOn;

    enum FailOn {
        opened(Change::opens), closed(Change::closes), any(c -> true);

        final Predicate<Change> matches;

        FailOn(Predicate<Change> matches) {
            this.matches = matches;
        }
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var compiler = compileOptions.compiler();
        // Both with the same members (--cluster-state), so a change is the policy's, not the cluster's.
        var cluster = compileOptions.cluster(false);
        // The two policies compile side by side (two compiles are most of what compare costs);
        // each one's diagnostics are printed afterwards, OLD's first.
        var oldErr = new StringWriter();
        var compilingOld = CompletableFuture.supplyAsync(
                () -> PolicyInputs.compile(compiler, cluster, List.of(before), new PrintWriter(oldErr), PolicyInputs.Report.ERRORS_ONLY));
        var newErr = new StringWriter();
        CompileResult now;
        CompileResult old;
        try {
            now = PolicyInputs.compile(compiler, cluster, List.of(after), new PrintWriter(newErr), PolicyInputs.Report.ERRORS_ONLY);
            old = join(compilingOld);
        } finally {
            err.print(oldErr);
            err.print(newErr);
            err.flush();
        }
        if (old.ruleSet().isEmpty() || now.ruleSet().isEmpty()) {
            err.println("compare: " + (old.ruleSet().isEmpty() ? before : after) + " does not compile; nothing to compare");
            err.flush();
            return ExitCodes.FAILED;
        }
        var changes = PolicyComparison.compare(old.ruleSet().get(), now.ruleSet().get());
        var out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.println(CompareJson.toJson(changes).encodePrettily());
        } else {
            changes.forEach(c -> out.print(ChangeText.describe(c)));
            out.println(ChangeText.summary(changes));
        }
        out.flush();
        boolean failed = failOn != null && changes.stream().anyMatch(failOn.matches);
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** The result, or the exception the compile threw (a missing file is a usage error, as in every command). */
    private static CompileResult join(CompletableFuture<CompileResult> compiling) {
        try {
            return compiling.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}
