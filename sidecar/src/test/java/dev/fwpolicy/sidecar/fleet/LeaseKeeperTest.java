package dev.fwpolicy.sidecar.fleet;

import static dev.fwpolicy.sidecar.fleet.MockApiServer.NAME;
import static dev.fwpolicy.sidecar.fleet.MockApiServer.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.loop.SyncTrigger;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.source.ConfigMapSource;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's Lease in ConfigMap mode, on fabric8's mock API server (CRUD mode): created at
 * start, rewritten after every sync and refused policy with the revision in force, its state,
 * when it reached the kernel and the ConfigMap resourceVersion it came from; renewed on its
 * period; and what {@code fwpolicy fleet} reads back from it.
 */
class LeaseKeeperTest {
    private static final String POD = "web-7d9f8-abcde";

    private static String revision(String text) {
        return TestPolicies.compile("web.fwpolicy", text).revision();
    }

    private static EnforcementLease read(MockApiServer api) {
        return api.lease("fwpolicy-" + POD).flatMap(EnforcementLease::of).orElseThrow(() -> new AssertionError("no lease yet"));
    }

    @Test
    void theLeaseSaysWhatThePodEnforcesAndFollowsEveryChange() throws Exception {
        var firewall = new FakeFirewall();
        var clients = new ArrayList<KubernetesClient>();
        try (var api = new MockApiServer()) {
            var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096));
            try (var svc = new ServiceHarness(firewall, vertx -> {
                var client = api.server.createClient(new Vertx5HttpClientFactory(vertx));
                clients.add(client);
                return new ConfigMapSource(client, NS, NAME);
            }, options.withLease(Optional.of(keeper(api, clients, Duration.ofSeconds(1)))))) {
                // Started before any policy: a Lease saying nothing is enforced yet.
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> read(api).revision().isEmpty());
                var lease = api.lease("fwpolicy-" + POD).orElseThrow();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(POD);
                assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
                assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "fwpolicy");

                Instant before = Instant.now();
                api.putConfigMap(TestPolicies.WEB);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).revision().equals(Optional.of(revision(TestPolicies.WEB))));
                var web = read(api);
                assertThat(web.state()).isEqualTo(EnforcementState.IN_SYNC);
                assertThat(web.configMap()).isEqualTo(NS + "/" + NAME);
                assertThat(web.resourceVersion()).hasValue(api.configMapVersion());
                assertThat(web.observedAt().orElseThrow()).isAfterOrEqualTo(before.minusMillis(5));
                assertThat(web.enforcedAt().orElseThrow()).isAfterOrEqualTo(web.observedAt().orElseThrow());
                assertThat(web.changeToEnforced().orElseThrow()).isLessThan(Duration.ofSeconds(10)).isPositive();
                assertThat(web.error()).isEmpty();

                api.putConfigMap(TestPolicies.WEB_AND_SSH);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).revision().equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
                var ssh = read(api);
                assertThat(ssh.resourceVersion()).hasValue(api.configMapVersion()).isNotEqualTo(web.resourceVersion());
                assertThat(ssh.enforcedAt().orElseThrow()).isAfter(web.enforcedAt().orElseThrow());

                // What fleet makes of it: the pod is on the ConfigMap's current revision.
                var fleet = FleetView.read(api.admin, NS, Optional.of(NS + "/" + NAME), Instant.now());
                assertThat(fleet.pods()).singleElement().satisfies(row -> {
                    assertThat(row.current()).hasValue(true);
                    assertThat(row.stale()).isFalse();
                });

                // A refused policy: the old revision stays, and the Lease says why.
                api.putConfigMap(TestPolicies.BROKEN);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).state() == EnforcementState.ERROR);
                var broken = read(api);
                assertThat(broken.revision()).hasValue(revision(TestPolicies.WEB_AND_SSH));
                assertThat(broken.resourceVersion()).isEqualTo(ssh.resourceVersion());
                assertThat(broken.error().orElseThrow()).startsWith("PolicyInvalid: ").contains("web-policy@" + api.configMapVersion());
                var behind = FleetView.read(api.admin, NS, Optional.of(NS + "/" + NAME), Instant.now());
                assertThat(behind.pods().get(0).current()).hasValue(false);

                // A failing kernel is an error too; the next good sync clears it.
                api.putConfigMap(TestPolicies.WEB);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).state() == EnforcementState.IN_SYNC
                        && read(api).revision().equals(Optional.of(revision(TestPolicies.WEB))));
                firewall.failWith = Optional.of("iptables-restore: line 3 failed");
                svc.service.loop().syncNow(SyncTrigger.API).toCompletionStage().toCompletableFuture().get();
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).state() == EnforcementState.ERROR);
                assertThat(read(api).error().orElseThrow()).contains("iptables-restore: line 3 failed");
                firewall.failWith = Optional.empty();

                // Drift repaired while the policy stayed the same.
                svc.service.loop().syncNow(SyncTrigger.API).toCompletionStage().toCompletableFuture().get();
                firewall.delete(0);
                svc.service.loop().syncNow(SyncTrigger.API).toCompletionStage().toCompletableFuture().get();
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).state() == EnforcementState.DRIFT);

                // Renewed on its period with no sync at all.
                var renewed = read(api).renewedAt();
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).renewedAt().isAfter(renewed));
                assertThat(svc.get("/metrics").body()).containsPattern("fwpolicy_lease_writes_total\\{result=\"ok\"\\} [1-9]");
            }
        } finally {
            clients.forEach(KubernetesClient::close);
        }
    }

    private static LeaseKeeper keeper(MockApiServer api, java.util.List<KubernetesClient> clients, Duration period) {
        var client = api.server.createClient();
        clients.add(client);
        return new LeaseKeeper(client, NS, POD, NS + "/" + NAME, period);
    }
}
