package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cluster-state and --namespace on the commands that compile a policy with dynamic sets. */
class ClusterStateCommandsTest {
    static final String SHOP = "../examples/policies/shop";
    static final String STATE = "../examples/cluster-state/shop.json";
    static final String ROLLOUT = "../examples/cluster-state/shop-rollout.json";

    @TempDir
    Path tmp;

    /** The text sections of 'compile' output: "# --- name ---" → its lines. */
    static java.util.Map<String, String> sections(String out) {
        var map = new java.util.LinkedHashMap<String, String>();
        String current = null;
        for (var line : out.split("\n", -1)) {
            if (line.startsWith("# --- ")) {
                current = line;
                map.put(current, "");
            } else if (current != null) {
                map.merge(current, line + "\n", String::concat);
            }
        }
        return map;
    }

    @Test
    void compileWithoutAClusterStateIsALocatedErrorNamingTheFlag() {
        var run = CliRun.of("compile", SHOP);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("shop-db.fwpolicy:14:20: error[no-cluster-state]: '$clients' includes $frontend")
                .contains("--cluster-state FILE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aRolloutChangesTheSetPayloadOnlyNeverTheRules() {
        var before = CliRun.of("compile", "--cluster-state", STATE, SHOP);
        var after = CliRun.of("compile", "--cluster-state", ROLLOUT, SHOP);
        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(after.exitCode()).as(after.err()).isZero();
        var one = sections(before.out());
        var two = sections(after.out());
        assertThat(two.keySet()).isEqualTo(one.keySet()).contains("# --- ipset restore ---");
        for (var key : one.keySet()) {
            if (key.contains("ipset")) assertThat(two.get(key)).as(key).isNotEqualTo(one.get(key));
            else assertThat(two.get(key)).as(key).isEqualTo(one.get(key));
        }
        assertThat(one.get("# --- ipset restore ---")).contains(" 10.244.1.31").doesNotContain("10.244.2.50");
        assertThat(two.get("# --- ipset restore ---")).contains(" 10.244.2.50").doesNotContain("10.244.1.31")
                .contains(" fd00:10:244:2::50");
    }

    @Test
    void compileJsonNamesThePodBehindEachMember() {
        var json = CliRun.of("compile", "--format", "json", "--cluster-state", STATE, SHOP).json();
        var clients4 = json.getJsonArray("sets").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("declaredAs").equals("clients") && s.getString("family").equals("ipv4")).findFirst().orElseThrow();
        assertThat(clients4.getJsonArray("members")).containsExactly("10.244.1.31", "10.244.2.17", "192.168.10.0/24");
        var follows = clients4.getJsonArray("follows").getJsonObject(0);
        assertThat(follows.getString("declaredAs")).isEqualTo("frontend");
        assertThat(follows.getString("selector")).isEqualTo("pods \"app=frontend\" in shop");
        assertThat(follows.getJsonArray("pods").getJsonObject(0).getMap())
                .containsEntry("address", "10.244.1.31").containsEntry("pod", "shop/frontend-7d9f-abcde");
    }

    @Test
    void checkWithoutAClusterStateChecksAndNotesWhatItCannotKnow() {
        var run = CliRun.of("check", SHOP);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("note[members-unknown]: '$clients' includes $frontend")
                .contains("note[members-unknown]: '$scrapers' follows the cluster")
                .contains("note[expectation-unknown]")
                .doesNotContain("error[");
        assertThat(run.out()).startsWith("ok: 2 file(s)");
        assertThat(CliRun.of("check", "--werror", SHOP).exitCode()).as("notes are no warnings").isZero();

        var json = CliRun.of("check", "--format", "json", SHOP).json();
        assertThat(json.getBoolean("ok")).isTrue();
        assertThat(json.getJsonArray("diagnostics").stream().map(d -> ((JsonObject) d).getString("severity"))).containsOnly("note");

        var known = CliRun.of("check", "--cluster-state", STATE, SHOP);
        assertThat(known.exitCode()).as(known.err()).isZero();
        assertThat(known.err()).isEmpty();
        // With the rollout's members the first expectation no longer holds: frontend-7d9f-abcde is gone.
        var rolledOut = CliRun.of("check", "--cluster-state", ROLLOUT, SHOP);
        assertThat(rolledOut.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(rolledOut.err()).contains("shop-db-coverage.fwpolicy:3:3: error[expectation-failed]: expected allow, got deny");
    }

    @Test
    void evalNamesTheSetItsSelectorAndThePod() {
        var run = CliRun.of("eval", "--cluster-state", STATE, SHOP, "--flow", "inbound tcp 10.244.2.17:40000 -> 10.244.1.20:5432");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ALLOW")
                .contains("source 10.244.2.17 is in $clients (kernel set fwp-shop-db-clients-4")
                .contains("from $frontend (pods \"app=frontend\" in shop), pod shop/frontend-7d9f-fghij");
        var json = CliRun.of("eval", "--format", "json", "--cluster-state", STATE, SHOP,
                "--flow", "inbound tcp 10.244.2.17:40000 -> 10.244.1.20:5432").json();
        assertThat(json.toString()).contains("pod shop/frontend-7d9f-fghij");
    }

    @Test
    void testRunsTheExpectationsWithTheMembersOfTheFile() {
        var run = CliRun.of("test", "--cluster-state", STATE, SHOP);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        var failing = CliRun.of("test", "--cluster-state", ROLLOUT, SHOP);
        assertThat(failing.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(failing.out()).contains("expectation failed: expect allow inbound tcp from 10.244.1.31 to port 5432");
    }

    @Test
    void aFailureDecidedByADynamicSetNamesThePod() throws IOException {
        var dir = tmp.resolve("shop");
        Files.createDirectories(dir);
        Files.copy(Path.of(SHOP, "shop-db.fwpolicy"), dir.resolve("shop-db.fwpolicy"));
        Files.writeString(dir.resolve("t.fwpolicy"), "test shop-db {\n  expect deny inbound tcp from 10.244.2.50 to port 5432\n}\n");
        var run = CliRun.of("test", "--cluster-state", ROLLOUT, dir.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("expected deny, got allow")
                .contains("source 10.244.2.50 is in $clients (kernel set fwp-shop-db-clients-4")
                .contains("from $frontend (pods \"app=frontend\" in shop), pod shop/frontend-5c6b-klmno");
    }

    @Test
    void podsWithoutANamespaceAreThoseOfTheOwnNamespace() throws IOException {
        var policy = tmp.resolve("own.fwpolicy");
        Files.writeString(policy, """
                policy own {
                  set peers = pods "tier=web"
                  inbound {
                    allow tcp from $peers to port 80
                  }
                }
                """);
        var inShop = CliRun.of("compile", "--namespace", "shop", "--cluster-state", STATE, policy.toString());
        assertThat(inShop.exitCode()).as(inShop.err()).isZero();
        assertThat(sections(inShop.out()).get("# --- ipset restore ---")).contains(" 10.244.1.31").contains(" 10.244.2.17");
        var elsewhere = CliRun.of("compile", "--namespace", "monitoring", "--cluster-state", STATE, policy.toString());
        assertThat(sections(elsewhere.out()).get("# --- ipset restore ---")).doesNotContain("10.244.");
        var bad = CliRun.of("compile", "--namespace", "Not_A_Namespace", "--cluster-state", STATE, policy.toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--namespace").contains("Not_A_Namespace");
    }

    @Test
    void aFileThatIsNoClusterStateStopsTheCommandNamingIt() throws IOException {
        var file = tmp.resolve("state.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: x, namespace: shop}
                """);
        var run = CliRun.of("compile", "--cluster-state", file.toString(), SHOP);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(file.toString()).contains("ConfigMap");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void severalFilesAreOneSnapshot() throws IOException {
        var extra = tmp.resolve("extra.yaml");
        Files.writeString(extra, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: frontend-extra, namespace: shop, labels: {app: frontend}}
                  status: {phase: Running, podIPs: [{ip: 10.244.9.9}]}
                """);
        var run = CliRun.of("compile", "--cluster-state", STATE, "--cluster-state", extra.toString(), SHOP);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(sections(run.out()).get("# --- ipset restore ---")).contains(" 10.244.9.9").contains(" 10.244.1.31");
        assertThat(List.of(run.err())).containsOnly("");
    }
}
