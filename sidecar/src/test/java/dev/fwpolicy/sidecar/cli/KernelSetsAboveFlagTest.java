package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kernel-sets-above N}: the threshold of the compiling commands, below a policy's own setting. */
class KernelSetsAboveFlagTest {
    @TempDir
    Path tmp;

    /** Nine hosts: one more than the default threshold of 8. */
    private Path policy(String setting) throws IOException {
        String hosts = IntStream.range(0, 9).mapToObj(i -> "10.1.0." + (2 * i + 1)).collect(Collectors.joining(", "));
        var file = tmp.resolve("web.fwpolicy");
        Files.writeString(file, "policy web {\n" + setting + "  set clients = { " + hosts + " }\n"
                + "  inbound {\n    allow tcp from $clients to port 443\n  }\n}\n");
        return file;
    }

    @Test
    void theFlagMovesTheThresholdAndThePolicysOwnSettingWins() throws IOException {
        var plain = policy("").toString();
        var byDefault = CliRun.of("compile", "--family", "4", plain);
        assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
        assertThat(byDefault.out()).contains("--match-set fwp-");

        var raised = CliRun.of("compile", "--family", "4", "--kernel-sets-above", "9", plain);
        assertThat(raised.exitCode()).as(raised.err()).isZero();
        assertThat(raised.out()).doesNotContain("--match-set").contains("-s 10.1.0.17/32");

        var own = policy("  kernel-sets above 3\n").toString();
        var policyWins = CliRun.of("compile", "--family", "4", "--kernel-sets-above", "100", own);
        assertThat(policyWins.exitCode()).as(policyWins.err()).isZero();
        assertThat(policyWins.out()).contains("--match-set fwp-");
    }

    @Test
    void aValueOutOfRangeIsAUsageErrorNamingTheFlag() throws IOException {
        var file = policy("").toString();
        for (var bad : new String[] {"0", "-3", "65537", "many"}) {
            var run = CliRun.of("check", "--kernel-sets-above", bad, file);
            assertThat(run.exitCode()).as(bad).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("--kernel-sets-above");
        }
    }

    @Test
    void everyCommandThatCompilesTakesTheFlag() {
        for (var command : new String[] {"check", "compile", "eval", "test", "diff", "apply", "state", "serve"}) {
            assertThat(CliRun.of(command, "--help").out()).as(command + " --help").contains("--kernel-sets-above=N");
        }
        assertThat(CliRun.of("fmt", "--help").out()).doesNotContain("--kernel-sets-above");
    }
}
