package dev.fwpolicy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.sidecar.source.ClusterStateFiles;
import dev.fwpolicy.engine.testing.Golden;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import dev.fwpolicy.engine.ipset.KernelSet;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.SetPlanner;
import java.util.Set;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example directory under {@code policies/} is one rule set: it must compile with no
 * error and no warning, and its payload is pinned by {@code golden/<example>.rules}
 * ({@code -Dfwpolicy.updateGolden=true} rewrites it). An example with dynamic sets takes their
 * members from {@code cluster-state/<example>.json}, as {@code --cluster-state} would, its own
 * namespace being the one the file's first pod is in.
 */
class ExamplesTest {
    static final Path POLICIES = Path.of("policies");
    static final Path GOLDEN = Path.of("golden");
    static final Path CLUSTER_STATE = Path.of("cluster-state");

    static ClusterInput cluster(Path dir) {
        var file = CLUSTER_STATE.resolve(dir.getFileName() + ".json");
        if (!Files.exists(file)) return ClusterInput.NONE;
        var snapshot = ClusterStateFiles.read(file);
        return ClusterInput.of(snapshot, snapshot.pods().get(0).ref().namespace());
    }

    static CompileResult compile(Path dir) throws IOException {
        return new Compiler().compile(read(dir), cluster(dir));
    }

    static Stream<Path> examples() throws IOException {
        return Files.list(POLICIES).filter(Files::isDirectory).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void compilesCleanlyAndMatchesGolden(Path dir) throws IOException {
        var sources = read(dir);
        var result = compile(dir);
        assertThat(result.diagnostics()).as(new DiagnosticPrinter(sources).printAll(result.diagnostics())).isEmpty();
        var rules = result.ruleSet().orElseThrow();
        // Kernel sets first, as 'fwpolicy compile' prints them (an example without sets has none).
        String sets = new SetPlanner().plan(rules.sets().stream().map(KernelSet::desired).toList(), KernelSets.empty(), Set.of()).payload();
        String actual = sets + RestoreRenderer.render(rules, Family.V4) + RestoreRenderer.render(rules, Family.V6);
        Golden.assertMatches(GOLDEN.resolve(dir.getFileName() + ".rules"), actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleHasTests(Path dir) throws IOException {
        var result = compile(dir);
        long expectations = result.files().stream().flatMap(f -> f.tests().stream())
                .mapToLong(t -> t.expectations().size()).sum();
        assertThat(expectations).as("expectations in " + dir).isGreaterThanOrEqualTo(4);
    }

    /** Examples are what people copy: they are in fmt's layout (web.fwpolicy stays as the spec wrote it). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void examplesAreFormatted(Path dir) throws IOException {
        for (var source : read(dir)) {
            if (source.name().endsWith("web/web.fwpolicy")) continue;
            var diagnostics = new Diagnostics();
            var file = new PolicyParser().parse(source, diagnostics).orElseThrow();
            assertThat(Formatter.format(file)).as("fwpolicy fmt " + source.name()).isEqualTo(source.text());
        }
    }

    static List<SourceFile> read(Path dir) throws IOException {
        var out = new ArrayList<SourceFile>();
        try (var files = Files.list(dir)) {
            for (var f : files.filter(p -> p.toString().endsWith(".fwpolicy")).sorted().toList()) {
                out.add(new SourceFile(f.toString(), Files.readString(f)));
            }
        }
        return out;
    }
}
