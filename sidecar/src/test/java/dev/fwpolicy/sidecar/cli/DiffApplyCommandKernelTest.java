package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The diff/apply walkthrough of docs/reconciler.md, run for real in a throwaway network namespace. */
@Tag("kernel")
class DiffApplyCommandKernelTest {
    private static final String EXAMPLES = "../examples/policies/web";
    private final ProcessCommandRunner host = new ProcessCommandRunner();
    private Netns testNetns;
    private String netns;

    private CliRun fwpolicy(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void createNetns() {
        testNetns = Netns.create();
        netns = testNetns.name();
    }

    @AfterEach
    void deleteNetns() {
        if (testNetns != null) testNetns.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void diffThenApplyThenInSync(String backend) {
        var diff = fwpolicy("diff", "--netns", netns, "--backend", backend, "--exit-code", EXAMPLES);
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
        assertThat(diff.out()).contains("backend: " + backend, "+  ipv4 INPUT", "-j FWP-INPUT");

        var dry = fwpolicy("apply", "--netns", netns, "--backend", backend, "--dry-run", EXAMPLES);
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("*filter", ":FWP-INPUT - [0:0]", "COMMIT");
        assertThat(fwpolicy("diff", "--netns", netns, "--backend", backend, "--exit-code", EXAMPLES).exitCode())
                .as("dry run wrote nothing").isEqualTo(1);

        var apply = fwpolicy("apply", "--netns", netns, "--backend", backend, EXAMPLES);
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).containsPattern("applied: added \\d+, removed 0, moved 0, repaired 0, unchanged 0 \\(2 restore call");

        var again = fwpolicy("apply", "--netns", netns, "--backend", backend, "--format", "json", EXAMPLES);
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("\"restoreInvocations\" : 0", "\"added\" : 0");
        var inSync = fwpolicy("diff", "--netns", netns, "--backend", backend, "--exit-code", EXAMPLES);
        assertThat(inSync.exitCode()).isZero();
        assertThat(inSync.out()).contains("in sync: nothing to change");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void brokenPolicyChangesNothing(String backend) throws java.io.IOException {
        assertThat(fwpolicy("apply", "--netns", netns, "--backend", backend, EXAMPLES).exitCode()).isZero();
        var broken = java.nio.file.Files.createTempFile("broken", ".fwpolicy");
        try {
            java.nio.file.Files.writeString(broken, "policy p priority 1 {\n  inbound { allow tcp from 10.0.0.300 }\n}\n");
            var apply = fwpolicy("apply", "--netns", netns, "--backend", backend, broken.toString());
            assertThat(apply.exitCode()).isEqualTo(1);
            assertThat(apply.err()).contains("nothing applied");
        } finally {
            java.nio.file.Files.delete(broken);
        }
        var diff = fwpolicy("diff", "--netns", netns, "--backend", backend, "--exit-code", EXAMPLES);
        assertThat(diff.exitCode()).as("the rules in force stay: " + diff.out()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft"})
    void unreadableKernelStateFailsTheApply(String backend) {
        // A filter table made by nft itself, which iptables cannot show: an error, never "empty".
        host.run(Command.of("ip", "netns", "exec", netns, "nft", "add table ip filter")).requireOk();
        host.run(Command.of("ip", "netns", "exec", netns, "nft",
                "add chain ip filter INPUT { type filter hook input priority 0; }")).requireOk();
        host.run(Command.of("ip", "netns", "exec", netns, "nft", "add rule ip filter INPUT meta l4proto tcp ct state new,established counter accept")).requireOk();
        var apply = fwpolicy("apply", "--netns", netns, "--backend", backend, EXAMPLES);
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.err()).contains("incompatible");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void ipv4OnlyLeavesTheIpv6TableAlone(String backend) {
        var apply = fwpolicy("apply", "--netns", netns, "--backend", backend, "--ip-families", "4", EXAMPLES);
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("(1 restore call");
        assertThat(save("iptables-" + backend + "-save")).contains(":FWP-INPUT", "-j FWP-INPUT");
        assertThat(save("ip6tables-" + backend + "-save")).doesNotContain("FWP-");
        assertThat(fwpolicy("diff", "--netns", netns, "--backend", backend, "--ip-families", "4", "--exit-code", EXAMPLES).exitCode())
                .as("IPv4 is in sync").isZero();

        var both = fwpolicy("diff", "--netns", netns, "--backend", backend, "--exit-code", EXAMPLES);
        assertThat(both.exitCode()).as("both families: IPv6 still to do").isEqualTo(1);
        assertThat(both.out()).contains("+  ipv6 INPUT").doesNotContain("+  ipv4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "4,x", ""})
    void anUnknownFamilyIsAUsageError(String families) {
        var run = fwpolicy("diff", "--netns", netns, "--ip-families", families, EXAMPLES);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--ip-families");
    }

    @org.junit.jupiter.api.Test
    void evalAgainstTheKernelRefusesAFamilyThatIsNotManaged() {
        var run = fwpolicy("eval", "--against", "kernel", "--netns", netns, "--ip-families", "4",
                "--flow", "inbound tcp [2001:db8::1]:40000 -> [2001:db8::2]:22", EXAMPLES);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("a flow is ipv6, which --ip-families leaves out");
    }

    private String save(String tool) {
        return host.run(Command.of("ip", "netns", "exec", netns, tool, "-t", "filter")).requireOk().stdout();
    }
}
