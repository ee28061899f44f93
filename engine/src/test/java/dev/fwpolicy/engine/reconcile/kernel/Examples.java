package dev.fwpolicy.engine.reconcile.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The repository's example policies (one policy set per directory), compiled by the real compiler. */
final class Examples {
    private static final Path ROOT = Path.of("../examples/policies");

    private Examples() {}

    /** Example name → its compiled rule set, in name order. */
    static Map<String, RuleSet> compiled() {
        var out = new LinkedHashMap<String, RuleSet>();
        try (var dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) out.put(dir.getFileName().toString(), compile(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(out).as("example policies in %s", ROOT.toAbsolutePath()).isNotEmpty();
        return out;
    }

    private static RuleSet compile(Path dir) throws IOException {
        var sources = new ArrayList<SourceFile>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".fwpolicy")).sorted().toList()) {
                sources.add(new SourceFile(f.toString(), Files.readString(f)));
            }
        }
        // Dynamic sets compile against an empty cluster here: the engine cannot read the examples'
        // cluster-state files (fabric8's model is the sidecar's), and members never change a rule;
        // their kernel sets are applied empty. The sidecar's tests apply them with members.
        var result = new Compiler().compile(sources, ClusterInput.of(ClusterSnapshot.EMPTY, "default"));
        assertThat(result.ruleSet()).as("%s compiles: %s", dir, result.diagnostics()).isPresent();
        return result.ruleSet().get();
    }
}
