package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --must-pass} on {@code check}, {@code apply} and {@code serve}: what is refused, how it is said, the exit codes. */
class MustPassCommandTest {
    /** Outbound only DNS: the API server (10.96.0.1:443) is cut off by the default. */
    static final String NO_API_SERVER = """
            policy app {
              default inbound deny
              default outbound deny
              inbound {
                allow established
                allow tcp to port 8080
              }
              outbound {
                allow established
                allow udp to port 53
              }
            }
            """;

    @TempDir
    Path tmp;

    private Path policy(String text) throws Exception {
        var file = tmp.resolve("app.fwpolicy");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void checkRefusesAPolicyThatCutsOffAMustPassFlowNamingTheFlowAndTheRule() throws Exception {
        var file = policy(NO_API_SERVER);
        var run = CliRun.of("check", file.toString(), "--must-pass", "outbound tcp to 10.96.0.1 port 443",
                "--must-pass", "inbound tcp 10.1.2.3:40000 -> 10.0.0.5:8080");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains(file + ":3:3: error[lockout]: must-pass flow \"outbound tcp to 10.96.0.1 port 443\" from --must-pass "
                        + "would be denied by " + file + ":3:3: default outbound deny")
                .contains("3 |   default outbound deny")
                .contains("--must-pass:1:1: note: the must-pass flow")
                .contains("check failed: 1 error(s)")
                // the second flow is allowed, both ways
                .doesNotContain("8080\"");
        assertThat(run.out()).isEmpty();

        var json = CliRun.of("check", file.toString(), "--format", "json", "--must-pass", "outbound tcp to 10.96.0.1 port 443").json();
        assertThat(json.getBoolean("ok")).isFalse();
        assertThat(json.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("lockout");
        assertThat(json.getJsonArray("errors").getJsonObject(0).getString("location")).isEqualTo(file + ":3:3");

        var ok = CliRun.of("check", file.toString(), "--must-pass", "inbound tcp from 10.1.2.3 to port 8080");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).startsWith("ok:");
        assertThat(CliRun.of("check", file.toString()).exitCode()).as("no must-pass flow, nothing to refuse").isZero();
    }

    @Test
    void applyRefusesBeforeItTouchesTheKernel() throws Exception {
        var file = policy(NO_API_SERVER);
        // A namespace that does not exist: reaching the kernel would fail differently.
        var run = CliRun.of("apply", file.toString(), "--netns", "fwp-test-never-created", "--must-pass",
                "outbound tcp to 10.96.0.1 port 443");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("error[lockout]", file + ":3:3")
                .contains("fwpolicy apply: the policy would cut off 1 must-pass flow(s); nothing applied, the rules in force stay")
                .doesNotContain("fwp-test-never-created");
    }

    @Test
    void aMustPassFlowThatIsNoPacketIsAUsageError() throws Exception {
        var file = policy(NO_API_SERVER);
        for (var command : new String[] {"check", "apply"}) {
            var run = CliRun.of(command, file.toString(), "--must-pass", "outbound icmp to 2001:db8::1");
            assertThat(run.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).as(command).contains("--must-pass \"outbound icmp to 2001:db8::1\":",
                    "--must-pass:1:10: error[family-mismatch]");
        }
        var serve = CliRun.of("serve", "--policy-dir", tmp.toString(), "--must-pass", "sideways tcp");
        assertThat(serve.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(serve.err()).contains("--must-pass \"sideways tcp\":");
        assertThat(CliRun.of("serve", "--help").out()).contains("--must-pass=FLOW");
    }
}
