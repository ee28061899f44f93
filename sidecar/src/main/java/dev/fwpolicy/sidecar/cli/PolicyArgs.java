package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The policy a command works on (picocli mixin): the files and directories named, and the
 * options that say how to compile them. One place, so every command reads and compiles a
 * policy the same way.
 */
public final class PolicyArgs {
    @Mixin
    CompileOptions compileOptions;

    @Parameters(arity = "1..*", paramLabel = "FILES|DIRS", description = "Policy files, or directories of *.fwpolicy files.")
    List<Path> paths;

    public List<Path> paths() {
        return paths;
    }

    public Compiler compiler() {
        return compileOptions.compiler();
    }

    /** The members of dynamic sets: {@code --cluster-state}, {@code --namespace}. */
    public ClusterInput cluster(boolean membersOptional) {
        return compileOptions.cluster(membersOptional);
    }

    /**
     * Reads and compiles the named policy with the cluster of {@code --cluster-state}, reporting
     * its diagnostics on {@code err} as {@code report} says.
     */
    public CompileResult compile(PrintWriter err, PolicyInputs.Report report) {
        return PolicyInputs.compile(compiler(), cluster(false), paths, err, report);
    }
}
