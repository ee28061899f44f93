package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = {"Rewrite policy files in the one canonical layout (comments kept; meaning never changes).",
            "A file with syntax errors is left untouched and its errors are printed.",
            "--check: change nothing, exit 1 if any file is not formatted (for CI).",
            "--diff: change nothing, print what would change."})
public final class FmtCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILES|DIRS", description = "Policy files, or directories of *.fwpolicy files.")
    List<Path> paths;

    // The formatter's own --check (is the file formatted?); it never reaches the kernel.
    @Option(names = "--check", description = "Exit 1 when a file is not formatted; write nothing.")
    boolean check;

    @Option(names = "--diff", description = "Print a diff of what would change; write nothing.")
    boolean diff;

    @Option(names = "--stdout", description = "Print the formatted text instead of rewriting files.")
    boolean stdout;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var sources = PolicyInputs.read(paths);
        boolean failed = false;
        int changed = 0;
        for (var source : sources) {
            var diagnostics = new Diagnostics();
            var file = new PolicyParser().parse(source, diagnostics);
            if (file.isEmpty() || diagnostics.hasErrors()) {
                err.print(new DiagnosticPrinter(List.of(source)).printAll(diagnostics.sorted()));
                failed = true;
                continue;
            }
            String formatted = Formatter.format(file.get());
            boolean differs = !formatted.equals(source.text());
            if (stdout) {
                out.print(formatted);
            } else if (check || diff) {
                if (differs) {
                    changed++;
                    if (diff) out.print(LineDiff.unified(source.name(), source.text(), formatted));
                    else err.println(source.name() + ": not formatted");
                }
            } else if (differs) {
                write(source, formatted);
                changed++;
                err.println("formatted " + source.name());
            }
        }
        out.flush();
        if (failed) return ExitCodes.FAILED;
        return check && changed > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** Write next to the file, then rename over it: a crash never leaves half a policy. */
    private static void write(SourceFile source, String text) throws IOException {
        var target = Path.of(source.name());
        var tmp = target.resolveSibling("." + target.getFileName() + ".fmt-tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
