package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fwpolicy eval --against kernel}, for real: apply the web example in a throwaway
 * namespace, edit one rule in place keeping its fwp1 comment, and the kernel answer must
 * differ from the policy's and name the edited rule at its policy line.
 */
@Tag("kernel")
class EvalAgainstKernelTest {
    private static final String WEB = "../examples/policies/web";
    private static final String FLOW = "inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443";
    private final ProcessCommandRunner host = new ProcessCommandRunner();
    private Netns testNetns;
    private String netns;

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
    void aRuleEditedInPlaceChangesTheKernelAnswerAndIsNamed(String backend) {
        assertThat(CliRun.of("apply", "--netns", netns, "--backend", backend, WEB).exitCode()).isZero();
        var inSync = CliRun.of("eval", "--against", "kernel", "--netns", netns, "--backend", backend, "--brief", WEB, "--flow", FLOW);
        assertThat(inSync.exitCode()).as(inSync.err()).isZero();
        assertThat(inSync.out()).contains("kernel: fwpolicy's chains hold exactly the policy's rules")
                .contains("=> ALLOW by ../examples/policies/web/web.fwpolicy:12:5");

        // Someone narrows the office rule to port 8443 in place, keeping its comment (and hash).
        String save = testNetns.save(backend);
        String office = save.lines().filter(l -> l.startsWith("-A FWP-I-web-frontend -s 192.168.10.0/24")).findFirst().orElseThrow();
        String chain = "FWP-I-web-frontend";
        int position = (int) save.lines().filter(l -> l.startsWith("-A " + chain + " ")).takeWhile(l -> !l.equals(office)).count() + 1;
        var edited = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", netns, "iptables-" + backend, "-R", chain,
                Integer.toString(position)));
        edited.addAll(dev.fwpolicy.engine.iptables.SpecTokens.split(office.substring(("-A " + chain + " ").length()).replace("--dports 80,443,8000:8100", "--dports 8443")));
        host.run(new Command(edited, java.util.Optional.empty(), Command.DEFAULT_TIMEOUT)).requireOk();

        var desired = CliRun.of("eval", WEB, "--brief", "--flow", FLOW);
        assertThat(desired.out()).contains("=> ALLOW by ../examples/policies/web/web.fwpolicy:12:5");
        var kernel = CliRun.of("eval", "--against", "kernel", "--netns", netns, "--backend", backend, WEB, "--flow", FLOW);
        assertThat(kernel.exitCode()).as(kernel.err()).isZero();
        assertThat(kernel.out()).contains("kernel differs from the policy: tampered ipv4 FWP-I-web-frontend")
                .contains("kernel: -A FWP-I-web-frontend -s 192.168.10.0/24 -p tcp")
                .contains("--dports 8443")
                .contains("=> DENY by ../examples/policies/web/web.fwpolicy:3:3: default inbound deny")
                .contains("no match (destination port: 443 is not in 8443)  ../examples/policies/web/web.fwpolicy:12:5 "
                        + "[kernel copy differs from policy] allow tcp from $office to port $web");

        var json = new JsonObject(CliRun.of("eval", "--against", "kernel", "--netns", netns, "--backend", backend, "--format", "json",
                WEB, "--flow", FLOW).out());
        assertThat(json.getJsonArray("drift").getJsonObject(0).getString("status")).isEqualTo("tampered");
        assertThat(json.getJsonArray("decisions").getJsonObject(0).getString("verdict")).isEqualTo("deny");
    }
}
