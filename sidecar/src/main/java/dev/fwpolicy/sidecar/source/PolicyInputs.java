package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.PrintWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * FILES|DIRS arguments → policy sources. A directory contributes its {@code *.fwpolicy}
 * files (recursively, in name order, skipping hidden entries such as a ConfigMap volume's
 * {@code ..data} internals); a file is taken whatever its name.
 */
public final class PolicyInputs {
    public static final String EXTENSION = ".fwpolicy";

    private PolicyInputs() {}

    public static List<SourceFile> read(List<Path> paths) {
        var out = new ArrayList<SourceFile>();
        for (var path : paths) {
            if (Files.isDirectory(path)) {
                for (var file : policyFiles(path)) out.add(readFile(file));
            } else if (Files.isRegularFile(path)) {
                out.add(readFile(path));
            } else {
                throw new IllegalArgumentException(path + ": no such file or directory");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no " + EXTENSION + " files in " + paths);
        return out;
    }

    /** Which diagnostics a command prints on stderr before its own output. */
    public enum Report { ALL, ERRORS_ONLY }

    /**
     * Reads and compiles FILES|DIRS as one rule set and prints the diagnostics on {@code err}:
     * every command that works on a compiled policy starts this way.
     */
    public static CompileResult compile(Compiler compiler, ClusterInput cluster, List<Path> paths, PrintWriter err, Report report) {
        var sources = read(paths);
        var result = compiler.compile(sources, cluster);
        var shown = report == Report.ALL ? result.diagnostics()
                : result.diagnostics().stream().filter(Diagnostic::isError).toList();
        err.print(new DiagnosticPrinter(sources).printAll(shown));
        err.flush();
        return result;
    }

    /**
     * The policy files under {@code dir}, named through {@code dir} even when it is a symbolic
     * link to a directory (a release switched with {@code ln -sfn}): a walk does not descend
     * into a link it starts from, so the link's target is walked and the names mapped back.
     */
    public static List<Path> policyFiles(Path dir) {
        try {
            Path real = dir.toRealPath();
            try (Stream<Path> walk = Files.walk(real)) {
                return walk.map(p -> dir.resolve(real.relativize(p).toString()))
                        .filter(p -> p.getFileName().toString().endsWith(EXTENSION))
                        .filter(p -> !isHidden(dir.relativize(p)))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (var part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** Bytes, not a string: text that is not UTF-8 becomes located {@code encoding} diagnostics. */
    private static SourceFile readFile(Path file) {
        try {
            return SourceFile.decode(file.toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
