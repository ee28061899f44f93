package dev.fwpolicy.engine.reconcile.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/** The repository's example policies, compiled by the real compiler. */
final class Examples {
    private Examples() {}

    static RuleSet compiled() {
        Path dir = Path.of("../examples/policies");
        var sources = new ArrayList<SourceFile>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".fwpolicy")).sorted().toList()) {
                sources.add(new SourceFile(f.toString(), Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(sources).as("example policies in %s", dir.toAbsolutePath()).isNotEmpty();
        var result = new Compiler().compile(sources);
        assertThat(result.ruleSet()).as("examples compile: %s", result.diagnostics()).isPresent();
        return result.ruleSet().get();
    }
}
