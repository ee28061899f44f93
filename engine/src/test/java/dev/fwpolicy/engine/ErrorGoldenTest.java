package dev.fwpolicy.engine;

import dev.fwpolicy.engine.compile.Compiler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.eval.LockoutGuard;
import dev.fwpolicy.engine.eval.MustPassFlow;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One folder per diagnostic: {@code errors/<code>/*.fwpolicy} compiled together must print
 * exactly {@code expected.txt}, and must report the code the folder is named after. A folder's
 * {@code must-pass.txt} (one flow a line) puts those flows in front of the lockout guard, as
 * {@code --must-pass} does.
 */
class ErrorGoldenTest {
    static final Path ROOT = Path.of("src/test/resources/errors");

    static Stream<Path> cases() throws IOException {
        return Files.list(ROOT).filter(Files::isDirectory).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void diagnosticsMatchGolden(Path dir) throws IOException {
        var sources = new ArrayList<SourceFile>();
        try (var files = Files.list(dir)) {
            for (var f : files.filter(p -> p.toString().endsWith(".fwpolicy")).sorted().toList()) {
                // Bytes, as the CLI reads them: the encoding case holds bytes that are not UTF-8.
                sources.add(SourceFile.decode(f.getFileName().toString(), Files.readAllBytes(f)));
            }
        }
        var mustPass = dir.resolve("must-pass.txt");
        var guard = LockoutGuard.NONE;
        if (Files.exists(mustPass)) {
            var diagnostics = new Diagnostics();
            var flows = Files.readAllLines(mustPass).stream().filter(l -> !l.isBlank())
                    .map(l -> MustPassFlow.read("--must-pass", l, diagnostics).orElseThrow()).toList();
            guard = new LockoutGuard(flows);
        }
        var result = guard.apply(new Compiler().compile(sources));
        String code = dir.getFileName().toString();
        assertThat(result.diagnostics()).as("diagnostic codes").anyMatch(d -> d.code().equals(code));
        if (!code.equals("shadowed-rule")) {
            assertThat(result.ruleSet()).as("an error case must not produce a rule set").isEmpty();
        }
        Golden.assertMatches(dir.resolve("expected.txt"), new DiagnosticPrinter(sources).printAll(result.diagnostics()));
    }
}
