package dev.fwpolicy.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.source.ClusterStateFiles;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * serve with a cluster but no watch, as {@code serve --cluster-state} wires it: the loop compiles
 * the dynamic sets with the snapshot's members, and {@code POST /v1/check} and
 * {@code POST /v1/evaluate} answer with the same members, naming the pod behind an address.
 */
class ServeClusterStateTest {
    static final Path SHOP = Path.of("../examples/policies/shop");

    @Test
    void theLoopAndTheApiCompileWithTheSnapshotsMembers() throws Exception {
        var snapshot = ClusterStateFiles.read(Path.of("../examples/cluster-state/shop.json"));
        var cluster = dev.fwpolicy.sidecar.source.ClusterFeed.fixed(ClusterInput.of(snapshot, "shop"));
        var compiler = new Compiler();
        var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 1 << 20))
                .withCompiler(compiler, new PrimedCompile(sources -> compiler.compile(sources, cluster.input())))
                .withCluster(cluster);
        var sources = PolicyInputs.read(List.of(SHOP));
        try (var svc = new ServiceHarness(new FakeFirewall(), v -> new ManualSource(sources), options)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            var inForce = svc.snapshot().policy().orElseThrow().ruleSet();
            assertThat(inForce.sets()).filteredOn(s -> s.set().equals("clients")).flatExtracting(NetworkSet::members)
                    .extracting(c -> c.source()).contains("10.244.1.31", "10.244.2.17", "fd00:10:244:2::17", "192.168.10.0/24");

            var evaluated = svc.post("/v1/evaluate", "application/json", new JsonObject()
                    .put("flow", "inbound tcp 10.244.2.17:40000 -> 10.244.1.20:5432").put("explain", true).encode());
            assertThat(evaluated.status()).as(evaluated.body()).isEqualTo(200);
            var decision = evaluated.json().getJsonArray("decisions").getJsonObject(0);
            assertThat(decision.getString("verdict")).isEqualTo("allow");
            assertThat(decision.getJsonArray("setMatches").getString(0))
                    .contains("$clients").contains("$frontend (pods \"app=frontend\" in shop)").contains("pod shop/frontend-7d9f-fghij");

            var text = Files.readString(SHOP.resolve("shop-db.fwpolicy")) + Files.readString(SHOP.resolve("shop-db-coverage.fwpolicy"));
            var checked = svc.post("/v1/check", "text/plain", text);
            assertThat(checked.status()).isEqualTo(200);
            assertThat(checked.json().getBoolean("ok")).as(checked.body()).isTrue();
            assertThat(checked.json().getJsonArray("diagnostics")).as("members known: nothing to note").isEmpty();
        }
    }

    @Test
    void withoutAClusterTheSameCheckIsANoClusterStateError() throws Exception {
        var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 1 << 20));
        try (var svc = new ServiceHarness(new FakeFirewall(), v -> new ManualSource(List.of(new SourceFile("p.fwpolicy",
                "policy p {\n  inbound {\n    allow tcp from 10.0.0.1\n  }\n}\n"))), options)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            var checked = svc.post("/v1/check", "text/plain", Files.readString(SHOP.resolve("shop-db.fwpolicy")));
            assertThat(checked.json().getBoolean("ok")).isFalse();
            assertThat(checked.json().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("no-cluster-state");
        }
    }
}
