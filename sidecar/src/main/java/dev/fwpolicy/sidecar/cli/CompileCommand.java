package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.render.RestoreRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile policy files and print the iptables-restore payload (filter table) on stdout.",
            "This is the whole rule set for an empty kernel; 'fwpolicy apply' sends only the difference.",
            "Diagnostics go to stderr; on errors nothing is printed on stdout and the exit code is 1."})
public final class CompileCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILES|DIRS", description = "Policy files, or directories of *.fwpolicy files.")
    List<Path> paths;

    @Option(names = "--family", description = "4 or 6: only the iptables (4) or ip6tables (6) payload. Default: both.")
    Integer family;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (family != null && family != 4 && family != 6) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--family must be 4 or 6, not " + family);
        }
        var result = PolicyInputs.compile(paths, spec.commandLine().getErr(), PolicyInputs.Report.ALL);
        if (result.ruleSet().isEmpty()) return ExitCodes.FAILED;
        var out = spec.commandLine().getOut();
        for (var f : Family.values()) {
            if (family == null || (family == 4) == (f == Family.V4)) out.print(RestoreRenderer.render(result.ruleSet().get(), f));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
