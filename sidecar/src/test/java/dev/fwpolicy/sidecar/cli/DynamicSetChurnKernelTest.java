package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.testing.NetnsPair;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 offline, with real packets: {@code apply --cluster-state} with one snapshot, then with
 * another in which the frontend pod was deleted, a pod relabelled into the set and one added.
 * Only the kernel set's members change (one {@code ipset restore}, no iptables write, the
 * iptables rules byte for byte the same), and pings from the "pods" (addresses of a client
 * namespace) pass exactly while their address is a member.
 */
@Tag("kernel")
class DynamicSetChurnKernelTest {
    static final String POLICY = """
            policy db {
              default inbound deny
              set frontend = pods "app=frontend" in shop
              inbound {
                allow established
                allow icmp from $frontend type echo-request
                allow icmpv6 from $frontend type echo-request
              }
            }
            """;

    @TempDir
    Path tmp;

    static String pod(String name, String app, String... ips) {
        var podIPs = new StringBuilder();
        for (var ip : ips) podIPs.append("{\"ip\": \"").append(ip).append("\"},");
        return "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"shop\","
                + " \"labels\": {\"app\": \"" + app + "\"}}, \"status\": {\"phase\": \"Running\", \"podIPs\": ["
                + podIPs.substring(0, podIPs.length() - 1) + "]}}";
    }

    Path snapshot(String file, String... pods) throws IOException {
        var path = tmp.resolve(file);
        Files.writeString(path, "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" + String.join(",", pods) + "]}");
        return path;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void membershipFollowsTheSnapshotWithoutOneIptablesWrite(String backend) throws IOException {
        var policy = tmp.resolve("db.fwpolicy");
        Files.writeString(policy, POLICY);
        var one = snapshot("one.json", pod("frontend-a", "frontend", "10.99.0.2", "fd00:99::2"), pod("api-x", "api", "10.99.0.3"));
        // frontend-a deleted, api-x relabelled into the set, frontend-c added.
        var two = snapshot("two.json", pod("api-x", "frontend", "10.99.0.3"), pod("frontend-c", "frontend", "10.99.0.4", "fd00:99::4"));

        try (var pair = new NetnsPair()) {
            pair.ipBatch(pair.server, List.of("address add 10.99.0.1/24 dev fwps"));
            pair.ipBatch(pair.client, List.of("address add 10.99.0.2/24 dev fwpc", "address add 10.99.0.3/24 dev fwpc",
                    "address add 10.99.0.4/24 dev fwpc"));
            CommandRunner server = new ProcessCommandRunner().inNetns(pair.server);
            CommandRunner client = new ProcessCommandRunner().inNetns(pair.client);
            Predicate<String> pingFrom = source -> client.run(Command.of("ping", "-c", "1", "-W", "1", "-I", source, "10.99.0.1")).ok();

            var first = apply(pair.server, backend, one, policy);
            assertThat(first.getInteger("restoreInvocations")).isPositive();
            assertThat(pingFrom.test("10.99.0.2")).as("frontend-a is a member").isTrue();
            assertThat(pingFrom.test("10.99.0.3")).as("api-x is not").isFalse();
            assertThat(pingFrom.test("10.99.0.4")).as("no pod has 10.99.0.4 yet").isFalse();
            String rules4 = rules(server, backend, "iptables");
            String rules6 = rules(server, backend, "ip6tables");
            assertThat(rules4).contains("--match-set fwp-db-frontend-4");
            assertThat(rules6).as("an IPv6 set rule though only one pod has IPv6").contains("--match-set fwp-db-frontend-6");

            var second = apply(pair.server, backend, two, policy);
            assertThat(second.getInteger("restoreInvocations")).as("iptables restores").isZero();
            assertThat(second.getJsonObject("counts").getMap()).containsEntry("added", 0).containsEntry("removed", 0);
            var sets = second.getJsonObject("setSync");
            assertThat(sets.getInteger("restoreInvocations")).isEqualTo(1);
            assertThat(sets.getInteger("missingMembers")).as("10.99.0.3, 10.99.0.4, fd00:99::4").isEqualTo(3);
            assertThat(sets.getInteger("extraMembers")).as("10.99.0.2, fd00:99::2").isEqualTo(2);
            assertThat(rules(server, backend, "iptables")).isEqualTo(rules4);
            assertThat(rules(server, backend, "ip6tables")).isEqualTo(rules6);

            assertThat(pingFrom.test("10.99.0.2")).as("frontend-a was deleted").isFalse();
            assertThat(pingFrom.test("10.99.0.3")).as("api-x relabelled app=frontend").isTrue();
            assertThat(pingFrom.test("10.99.0.4")).as("frontend-c added").isTrue();
            String members = server.run(Command.of("ipset", "list")).requireOk().stdout();
            assertThat(members).contains("10.99.0.3", "10.99.0.4", "fd00:99::4").doesNotContain("10.99.0.2", "fd00:99::2");

            var inSync = CliRun.of("diff", "--netns", pair.server, "--backend", backend, "--exit-code", "--cluster-state", two.toString(),
                    policy.toString());
            assertThat(inSync.exitCode()).as(inSync.out() + inSync.err()).isZero();
            var back = CliRun.of("diff", "--netns", pair.server, "--backend", backend, "--exit-code", "--cluster-state", one.toString(),
                    policy.toString());
            assertThat(back.exitCode()).as("the first snapshot differs in members only: " + back.out()).isEqualTo(1);
            assertThat(back.out()).contains("member");
        }
    }

    private static JsonObject apply(String netns, String backend, Path state, Path policy) {
        var run = CliRun.of("apply", "--netns", netns, "--backend", backend, "--format", "json", "--cluster-state", state.toString(),
                policy.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return new JsonObject(run.out());
    }

    /** The filter table's rules as the kernel prints them, without counters (a ping moves those). */
    private static String rules(CommandRunner netns, String backend, String tool) {
        var out = netns.run(Command.of(tool + "-" + backend + "-save", "-t", "filter")).requireOk().stdout();
        return String.join("\n", out.lines().filter(l -> l.startsWith("-A ")).toList());
    }
}
