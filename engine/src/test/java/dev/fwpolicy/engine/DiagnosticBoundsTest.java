package dev.fwpolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile text costs a bounded report: at most {@link Diagnostics#MAX_PER_SEVERITY} errors and
 * one line saying how many more there were, and long source lines quoted as a window.
 */
class DiagnosticBoundsTest {

    @Test
    void twentyThousandStrayCharactersGiveAHundredErrorsAndACount() {
        var source = new SourceFile("pct.fwpolicy", "%".repeat(20_000));
        var result = new Compiler().compile(List.of(source));
        var diagnostics = result.diagnostics();
        assertThat(diagnostics).hasSize(Diagnostics.MAX_PER_SEVERITY + 1);
        assertThat(diagnostics.subList(0, Diagnostics.MAX_PER_SEVERITY)).allMatch(d -> d.code().equals("syntax"));
        var last = diagnostics.get(diagnostics.size() - 1);
        assertThat(last.code()).isEqualTo("too-many-errors");
        assertThat(last.message()).startsWith("19,900 more errors not shown");
        assertThat(last.span().column()).isEqualTo(Diagnostics.MAX_PER_SEVERITY + 1);
        // Summaries say the true total, not the hundred listed (nor 101 with the count line).
        assertThat(result.errorCount()).isEqualTo(20_000);
        assertThat(result.errorsText()).isEqualTo("20,000 error(s) (first 100 shown)");
        assertThat(result.warningsText()).isEqualTo("0 warning(s)");
    }

    @Test
    void aFewErrorsAreCountedAsTheyAreListed() {
        var result = new Compiler().compile(List.of(new SourceFile("few.fwpolicy", "policy p { % % % }\n")));
        assertThat(result.errorCount()).isEqualTo(3);
        assertThat(result.errorsText()).isEqualTo("3 error(s)");
    }

    @Test
    void warningsPastTheCapAreCountedToo() {
        // 150 rules shadowed by the first: 150 warnings, 100 listed.
        var text = new StringBuilder("policy p {\n  inbound {\n    allow tcp to port 80\n");
        for (int i = 0; i < 150; i++) text.append("    allow tcp from 10.0.").append(i).append(".1 to port 80\n");
        text.append("  }\n}\n");
        var result = new Compiler().compile(List.of(new SourceFile("w.fwpolicy", text.toString())));
        assertThat(result.hasErrors()).isFalse();
        assertThat(result.warningCount()).isEqualTo(150);
        assertThat(result.warningsText()).isEqualTo("150 warning(s) (first 100 shown)");
    }

    @Test
    void aBinaryFileGivesEncodingErrorsAndACountOfTheRest() {
        var bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (0x80 | i % 64);
        var result = new Compiler().compile(List.of(SourceFile.decode("bin.fwpolicy", bytes)));
        assertThat(result.diagnostics()).hasSize(Diagnostics.MAX_PER_SEVERITY + 1);
        assertThat(result.diagnostics().get(0).code()).isEqualTo("encoding");
        assertThat(result.diagnostics().get(Diagnostics.MAX_PER_SEVERITY).message()).startsWith("99,900 more errors");
        assertThat(result.errorCount()).isEqualTo(100_000);
    }

    @Test
    void aParserThatKeepsFailingStopsAtTheCap() {
        var result = new Compiler().compile(List.of(new SourceFile("b.fwpolicy", "policy { ".repeat(5_000))));
        var last = result.diagnostics().get(result.diagnostics().size() - 1);
        assertThat(result.diagnostics()).hasSize(Diagnostics.MAX_PER_SEVERITY + 1);
        assertThat(last.code()).isEqualTo("too-many-errors");
        assertThat(last.message()).startsWith("stopped here after the first 100 errors");
        assertThat(result.errorsText()).startsWith("at least 100 error(s)");
    }

    @Test
    void theSameDiagnosticTwiceIsKeptOnce() {
        var d = new Diagnostics();
        var span = dev.fwpolicy.engine.source.Span.point("f", 1, 1);
        d.error("syntax", span, "x");
        d.error("syntax", span, "x");
        assertThat(d.sorted()).hasSize(1);
        assertThat(d.errorCount()).isEqualTo(1);
    }

    @Test
    void aLongSourceLineIsQuotedAsAWindowAroundTheCaret() {
        String line = "a".repeat(5_000) + " % " + "b".repeat(5_000);
        var source = new SourceFile("long.fwpolicy", line + "\n");
        var result = new Compiler().compile(List.of(source));
        var printed = new DiagnosticPrinter(List.of(source)).printAll(result.diagnostics());
        var lines = printed.split("\n");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(200));
        // The caret still points at the '%': same offset in the quoted line as in the caret line.
        String quoted = lines[2].substring(lines[2].indexOf("| ") + 2);
        String caret = lines[3].substring(lines[3].indexOf("| ") + 2);
        assertThat(quoted.charAt(caret.indexOf('^'))).isEqualTo('%');
        assertThat(quoted).startsWith("…").endsWith("…");
    }

    @Test
    void aShortLineIsQuotedWhole() {
        var source = new SourceFile("s.fwpolicy", "policy p { % }\n");
        var result = new Compiler().compile(List.of(source));
        Diagnostic d = result.diagnostics().get(0);
        assertThat(new DiagnosticPrinter(List.of(source)).print(d)).contains("1 | policy p { % }\n  |            ^\n");
    }
}
