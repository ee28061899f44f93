package dev.fwpolicy.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.parser.Limits;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The policy front end under Jazzer: any bytes, through parse, check, compile, the
 * diagnostic printer, fmt and the restore payload, give diagnostics and never an exception.
 * What it checks besides not throwing: every diagnostic points into the file, errors and a
 * rule set exclude each other, a printed report holds no control character, and a payload
 * holds nothing but iptables-restore lines (no policy text escapes into an extra rule).
 *
 * <p>{@code mvn verify} runs the inputs stored under {@code src/test/resources/…/PolicyFuzzTestInputs/compile}
 * (seeds, and every crash found so far); {@code JAZZER_FUZZ=1} fuzzes (docs/language.md, "Fuzzing").
 */
class PolicyFuzzTest {
    /** Small limits, so the fuzzer reaches them too, and each input stays cheap. */
    private static final Limits LIMITS = new Limits(64 * 1024, 2_000, 16);
    private static final Pattern PAYLOAD_LINE = Pattern.compile(
            "# fwpolicy [^\\n]*|\\*filter|:[A-Za-z0-9_-]{1,28} - \\[0:0\\]|-A [A-Za-z0-9_-]{1,28} [^\\n\\r\\x00]*|COMMIT");

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"policy ", "priority ", "default ", "inbound", "outbound", "allow ", "deny ", "reject ", "log ",
            "set ", "ports ", "from ", "to ", "port ", "icmp", "icmpv6", "tcp ", "udp ", "sctp ", "type ", "established",
            "new", "not ", "any", "test ", "expect ", "{", "}", ",", "=", "$", "\\\"", "#", "\\n", "10.0.0.0/8", "::1",
            "2001:db8::/32", "80-90", "65535", "echo-request"})
    void compile(byte[] input) {
        var source = SourceFile.decode("fuzz.fwpolicy", input);
        var result = new Compiler(LIMITS).compile(List.of(source));

        int lines = source.lines().size();
        assertThat(result.diagnostics()).allSatisfy(d -> {
            assertThat(d.span().file()).isEqualTo("fuzz.fwpolicy");
            assertThat(d.span().line()).isBetween(1, lines);
            assertThat(d.span().column()).isPositive();
        });
        assertThat(result.ruleSet().isPresent()).isEqualTo(!result.hasErrors());

        String printed = new DiagnosticPrinter(List.of(source)).printAll(result.diagnostics());
        assertThat(printed.chars().filter(c -> c < 0x20 && c != '\n' || c == 0x7f).count()).as("control characters in\n%s", printed).isZero();

        for (var file : result.files()) Formatter.format(file);
        result.ruleSet().ifPresent(rules -> {
            for (var family : Family.values()) {
                for (var line : RestoreRenderer.render(rules, family).split("\n", -1)) {
                    if (line.isEmpty()) continue;
                    assertThat(PAYLOAD_LINE.matcher(line).matches()).as("payload line %s", line).isTrue();
                }
            }
        });
    }
}
