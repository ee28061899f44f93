package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.iptables.IdentityComment;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.engine.testing.Netns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One model of the kernel, on both backends: every view (diff, eval against the kernel, state,
 * GET /v1/state) reports the same drift for the same kernel, and the cases a lenient second
 * parser used to get wrong are modelled or refused, never read as the policy.
 */
@Tag("kernel")
class OneKernelModelKernelTest {
    private static final String WEB = "../examples/policies/web";
    private static final String CHAIN = "FWP-I-web-frontend";
    private static final String FLOW = "inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443";

    /** The kube-router damage: one rule three times, another moved to the top of its chain. */
    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void everyViewReportsTheDamageAsDuplicateAndMovedByIdentity(String backend) throws Exception {
        try (var netns = Netns.create()) {
            assertThat(CliRun.of("apply", "--netns", netns.name(), "--backend", backend, WEB).exitCode()).isZero();
            var files = new ArrayList<SourceFile>();
            try (var dir = Files.list(Path.of(WEB))) {
                for (Path p : dir.sorted().toList()) files.add(new SourceFile(p.getFileName().toString(), Files.readString(p)));
            }
            try (var svc = new ServiceHarness(ReconcilerFirewall.open(Optional.of(netns.name()), backend), new ManualSource(files),
                    ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> svc.snapshot().ready());
                assertThat(svc.snapshot().lastSuccess().orElseThrow().result().orElseThrow().restoreInvocations()).isZero();

                List<String> rules = specs(netns.save(backend), CHAIN);
                String office = rules.stream().filter(r -> r.contains("192.168.10.0/24")).findFirst().orElseThrow();
                String moved = rules.get(2);
                String officeId = IdentityComment.idIn(office).orElseThrow();
                String movedId = IdentityComment.idIn(moved).orElseThrow();
                netns.restore(backend, "*filter\n-A " + CHAIN + " " + office + "\n-A " + CHAIN + " " + office + "\n-D " + CHAIN + " 3\n-I "
                        + CHAIN + " 1 " + moved + "\nCOMMIT\n");
                var expected = List.of("duplicate " + officeId, "duplicate " + officeId, "moved " + movedId);

                var diff = CliRun.of("diff", "--netns", netns.name(), "--backend", backend, "--format", "json", WEB);
                assertThat(statuses(diff.json().getJsonArray("changes"), d -> true)).as(diff.out())
                        .containsExactlyInAnyOrderElementsOf(expected);

                var eval = CliRun.of("eval", "--against", "kernel", "--netns", netns.name(), "--backend", backend, "--format", "json",
                        WEB, "--flow", FLOW);
                assertThat(eval.exitCode()).as(eval.err()).isZero();
                assertThat(statuses(eval.json().getJsonArray("drift"), d -> true)).containsExactlyInAnyOrderElementsOf(expected);

                var state = CliRun.of("state", "--netns", netns.name(), "--backend", backend, "--format", "json", WEB);
                assertThat(state.exitCode()).as(state.err()).isZero();
                var stateJson = state.json();
                assertThat(statuses(stateJson.getJsonArray("rules"), OneKernelModelKernelTest::isDrift)).containsExactlyInAnyOrderElementsOf(expected);
                var movedRow = row(stateJson, "moved");
                assertThat(movedRow.getString("location")).as("origin found by identity").matches(".*web\\.fwpolicy:13:5");
                assertThat(movedRow.getLong("packets")).isNotNull();
                assertThat(stateJson.getBoolean("inSync")).isFalse();

                var http = svc.get("/v1/state").json();
                assertThat(statuses(http.getJsonArray("rules"), OneKernelModelKernelTest::isDrift)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(row(http, "moved").getString("location")).isEqualTo("web.fwpolicy:13:5");

                var text = CliRun.of("state", "--netns", netns.name(), "--backend", backend, WEB);
                assertThat(text.out()).contains("duplicate").contains("moved").contains("web.fwpolicy:13:5");
            }
        }
    }

    /** A comment that merely mentions an identity is not one: the rule is foreign, listed as such and never removed. */
    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void identityIsTheCommentThatStartsWithFwp1(String backend) {
        try (var netns = Netns.create()) {
            netns.restore(backend, "*filter\n-A INPUT -s 192.0.2.7/32 -m comment --comment \"copied from fwp1:AAAAAAAAAAAAAAAA\" -j DROP\nCOMMIT\n");
            assertThat(CliRun.of("apply", "--netns", netns.name(), "--backend", backend, WEB).exitCode()).isZero();
            assertThat(netns.save(backend)).contains("copied from fwp1:AAAAAAAAAAAAAAAA");
            var state = CliRun.of("state", "--netns", netns.name(), "--backend", backend, "--format", "json", WEB).json();
            assertThat(state.getBoolean("inSync")).isTrue();
            assertThat(rows(state, r -> r.getString("text").contains("copied from fwp1"))).singleElement()
                    .satisfies(r -> assertThat(r.getString("status")).isEqualTo("foreign"));
        }
    }

    /** The built-in chain's real policy decides what falls through, and the missing jump is named. */
    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void theKernelViewUsesTheBuiltInChainsRealPolicy(String backend) {
        try (var netns = Netns.create()) {
            assertThat(CliRun.of("apply", "--netns", netns.name(), "--backend", backend, WEB).exitCode()).isZero();
            netns.restore(backend, "*filter\n:INPUT DROP [0:0]\n-D INPUT 1\nCOMMIT\n");
            var eval = CliRun.of("eval", "--against", "kernel", "--netns", netns.name(), "--backend", backend, WEB, "--flow", FLOW);
            assertThat(eval.exitCode()).as(eval.err()).isZero();
            assertThat(eval.out()).contains("kernel differs from the policy: missing-jump ipv4 INPUT")
                    .contains("=> DENY by <built-in chain policy DROP>");
        }
    }

    /** Edits the model cannot read (an ICMP code, type 255 shown as "any", an extra port match) are tampered, never the rule. */
    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void editsTheModelCannotReadAreTamperedAndNoVerdictIsClaimed(String backend) {
        try (var netns = Netns.create()) {
            assertThat(CliRun.of("apply", "--netns", netns.name(), "--backend", backend, WEB).exitCode()).isZero();
            List<String> rules = specs(netns.save(backend), CHAIN);
            int icmpAt = indexOf(rules, "--icmp-type 8");
            int officeAt = indexOf(rules, "192.168.10.0/24");
            String icmp = rules.get(icmpAt);
            String office = rules.get(officeAt);
            netns.restore(backend, "*filter\n-R " + CHAIN + " " + (icmpAt + 1) + " " + icmp.replace("--icmp-type 8", "--icmp-type 8/5")
                    + "\n-R " + CHAIN + " " + (officeAt + 1) + " " + office.replace("-m multiport", "-m tcp --dport 443 -m multiport") + "\nCOMMIT\n");
            var expected = List.of("tampered " + IdentityComment.idIn(icmp).orElseThrow(), "tampered " + IdentityComment.idIn(office).orElseThrow());
            var diff = CliRun.of("diff", "--netns", netns.name(), "--backend", backend, "--format", "json", WEB).json();
            assertThat(statuses(diff.getJsonArray("changes"), d -> true)).containsExactlyInAnyOrderElementsOf(expected);
            var eval = CliRun.of("eval", "--against", "kernel", "--netns", netns.name(), "--backend", backend, "--format", "json", WEB, "--flow", FLOW);
            assertThat(eval.exitCode()).isEqualTo(1);
            assertThat(eval.err()).contains("no verdict about the kernel is certain").contains("icmp type 8/5").contains("destination ports given twice");
            var json = eval.json();
            assertThat(statuses(json.getJsonArray("drift"), d -> true)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(json.getJsonArray("decisions")).isEmpty();

            // Type 255 on IPv4: the kernel keeps it as "any"; the policy language refuses it.
            netns.restore(backend, "*filter\n-R " + CHAIN + " " + (icmpAt + 1) + " " + icmp.replace("--icmp-type 8", "--icmp-type 255") + "\nCOMMIT\n");
            assertThat(netns.save(backend)).contains("--icmp-type any");
            var any = CliRun.of("eval", "--against", "kernel", "--netns", netns.name(), "--backend", backend, WEB, "--flow", FLOW);
            assertThat(any.exitCode()).isEqualTo(1);
            assertThat(any.err()).contains("icmp type any is not modelled");
            assertThat(any.out()).contains("tampered");
        }
    }

    /** What the renderer writes is what iptables-save prints back: applying twice writes nothing, diff is clean. */
    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void renderingsAreWhatTheToolsPrintBack(String backend) throws Exception {
        Path dir = Files.createTempDirectory("fwp-render");
        try (var netns = Netns.create()) {
            Files.writeString(dir.resolve("render.fwpolicy"), """
                    policy render {
                      default inbound deny
                      inbound {
                        allow tcp from ::ffff:10.0.0.1 to port 0-65535
                        allow udp from ::1.2.3.4 port 0-65535
                        allow tcp from 2001:db8::/64 to port 22
                        allow icmpv6 type 255
                      }
                    }
                    """);
            var apply = CliRun.of("apply", "--netns", netns.name(), "--backend", backend, "--format", "json", dir.toString());
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            var again = CliRun.of("apply", "--netns", netns.name(), "--backend", backend, "--format", "json", dir.toString());
            assertThat(again.json().getInteger("restoreInvocations")).as(again.out()).isZero();
            var diff = CliRun.of("diff", "--exit-code", "--netns", netns.name(), "--backend", backend, dir.toString());
            assertThat(diff.exitCode()).as(diff.out()).isZero();
            assertThat(netns.run(List.of("ip6tables-" + backend + "-save", "-t", "filter"), java.util.Optional.empty()))
                    .contains("-s ::ffff:10.0.0.1/128", "-s ::1.2.3.4/128", "--icmpv6-type 255");
            Files.writeString(dir.resolve("render.fwpolicy"), "policy p {\n  inbound {\n    allow icmp type 255\n  }\n}\n");
            var refused = CliRun.of("check", dir.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err() + refused.out()).contains("error[icmp-type-any]");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    private static List<String> specs(String save, String chain) {
        return save.lines().filter(l -> l.startsWith("-A " + chain + " ")).map(l -> l.substring(("-A " + chain + " ").length())).toList();
    }

    private static int indexOf(List<String> rules, String part) {
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).contains(part)) return i;
        throw new AssertionError("no rule with " + part + " in " + rules);
    }

    private static boolean isDrift(JsonObject row) {
        return !row.getString("status").equals("in-sync") && !row.getString("status").equals("foreign");
    }

    private static List<String> statuses(JsonArray rows, Predicate<JsonObject> keep) {
        var out = new ArrayList<String>();
        for (int i = 0; i < rows.size(); i++) {
            var r = rows.getJsonObject(i);
            if (keep.test(r)) out.add(r.getString("status") + " " + r.getString("id"));
        }
        return out;
    }

    private static List<JsonObject> rows(JsonObject state, Predicate<JsonObject> keep) {
        var out = new ArrayList<JsonObject>();
        var rows = state.getJsonArray("rules");
        for (int i = 0; i < rows.size(); i++) if (keep.test(rows.getJsonObject(i))) out.add(rows.getJsonObject(i));
        return out;
    }

    private static JsonObject row(JsonObject state, String status) {
        return rows(state, r -> r.getString("status").equals(status)).get(0);
    }
}
