package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCompileFmtCommandTest {
    static final Path WEB = Path.of("../examples/policies/web");

    @TempDir
    Path tmp;

    @Test
    void checkOfAnExampleIsCleanAndCountsRules() {
        var run = CliRun.of("check", WEB.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ok: 2 file(s), 31 rule(s) (ipv4 18, ipv6 13), 0 warning(s)");
    }

    @Test
    void checkReportsErrorsWithLocationAndExitsOne() throws IOException {
        var file = write("bad.fwpolicy", "policy p {\n  set a = { 10.0.0.5/8 }\n}\n");
        var run = CliRun.of("check", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains(file + ":2:13: error[host-bits-set]").contains("check failed: 1 error(s)");
    }

    @Test
    void theSummaryGivesTheTrueTotalsNotTheErrorsShown() throws IOException {
        var file = write("many.fwpolicy", "policy p {\n" + "  % % %\n".repeat(1_000) + "}\n");
        var run = CliRun.of("check", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("check failed: 3,000 error(s) (first 100 shown), 0 warning(s) in 1 file(s)");
        var json = new JsonObject(CliRun.of("check", "--format", "json", file.toString()).out());
        assertThat(json.getInteger("errorCount")).isEqualTo(3_000);
        assertThat(json.getJsonArray("errors")).hasSize(101);
    }

    @Test
    void aFileThatIsNotUtf8IsALocatedErrorNotAUsageError() throws IOException {
        var file = tmp.resolve("latin1.fwpolicy");
        var bytes = "policy p {\n  # caf\u00e9\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, bytes);
        var run = CliRun.of("check", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains(file + ":2:8: error[encoding]: byte 0xe9 is not UTF-8");
    }

    @Test
    void checkJsonIsMachineReadable() throws IOException {
        var file = write("bad.fwpolicy", "policy p {\n  inbound { allow tcp from $nope }\n}\n");
        var run = CliRun.of("check", "--format", "json", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        var json = run.json();
        assertThat(json.getBoolean("ok")).isFalse();
        var d = json.getJsonArray("diagnostics").getJsonObject(0);
        assertThat(d.getString("code")).isEqualTo("undefined-name");
        assertThat(d.getString("location")).endsWith(":2:28");
        assertThat(d.getJsonObject("span").getInteger("line")).isEqualTo(2);
        assertThat(d.getJsonObject("span").getInteger("column")).isEqualTo(28);
    }

    @Test
    void werrorTurnsWarningsIntoFailure() throws IOException {
        var file = write("w.fwpolicy", "policy p {\n  inbound {\n    allow tcp\n    allow tcp to port 22\n  }\n}\n");
        assertThat(CliRun.of("check", file.toString()).exitCode()).isZero();
        var run = CliRun.of("check", "--werror", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("warning[shadowed-rule]");
    }

    @Test
    void compilePrintsBothFamiliesOrOne() {
        var both = CliRun.of("compile", WEB.toString());
        assertThat(both.exitCode()).isZero();
        assertThat(both.out()).contains("# fwpolicy ipv4 rule set").contains("# fwpolicy ipv6 rule set");
        var v6 = CliRun.of("compile", "--family", "6", WEB.toString());
        assertThat(v6.out()).doesNotContain("ipv4 rule set").contains("-s 2001:db8:10::/48");
        assertThat(CliRun.of("compile", "--family", "5", WEB.toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void compileWithErrorsPrintsNothingOnStdout() throws IOException {
        var file = write("bad.fwpolicy", "policy p { inbound { allow tcp to port 70000 } }\n");
        var run = CliRun.of("compile", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error[invalid-port]");
    }

    @Test
    void missingFileIsAUsageError() {
        var run = CliRun.of("check", tmp.resolve("nope.fwpolicy").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no such file or directory");
    }

    @Test
    void fmtCheckThenRewriteThenCheckAgain() throws IOException {
        var file = write("f.fwpolicy", "policy p {   # keep me\ninbound { allow tcp to port {443,80} }\n}\n");
        var check = CliRun.of("fmt", "--check", file.toString());
        assertThat(check.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(check.err()).contains("not formatted");
        var diff = CliRun.of("fmt", "--diff", file.toString());
        assertThat(diff.out()).contains("+3:     allow tcp to port { 443, 80 }");
        assertThat(CliRun.of("fmt", file.toString()).exitCode()).isZero();
        assertThat(Files.readString(file)).isEqualTo("policy p {  # keep me\n  inbound {\n    allow tcp to port { 443, 80 }\n  }\n}\n");
        assertThat(CliRun.of("fmt", "--check", file.toString()).exitCode()).isZero();
    }

    @Test
    void fmtLeavesAFileWithSyntaxErrorsUntouched() throws IOException {
        String broken = "policy p { inbound { allow tcp form 1.2.3.4 } }\n";
        var file = write("broken.fwpolicy", broken);
        var run = CliRun.of("fmt", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("error[syntax]");
        assertThat(Files.readString(file)).isEqualTo(broken);
    }

    @Test
    void helpListsEveryCommand() {
        var run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("check").contains("fmt").contains("compile");
    }

    private Path write(String name, String text) throws IOException {
        var file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
