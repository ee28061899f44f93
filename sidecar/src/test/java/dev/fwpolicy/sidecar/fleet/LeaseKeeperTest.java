package dev.fwpolicy.sidecar.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.loop.SyncTrigger;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.source.ApiServerHealth;
import dev.fwpolicy.sidecar.source.ConfigMapSource;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.MockApiServer;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's Lease in ConfigMap mode, on fabric8's mock API server (CRUD mode): created at
 * start, rewritten after every sync and refused policy with the revision in force, its state,
 * when it reached the kernel and the ConfigMap resourceVersion it came from; renewed on its
 * period; and what {@code fwpolicy fleet} reads back from it.
 */
class LeaseKeeperTest {
    static final String NS = "shop";
    static final String NAME = "web-policy";
    private static final String POD = "web-7d9f8-abcde";

    static void putConfigMap(MockApiServer api, String text) {
        api.admin().configMaps().inNamespace(NS)
                .resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                        .withData(Map.of("web.fwpolicy", text)).build())
                .createOr(NonDeletingOperation::update);
    }

    private static String configMapVersion(MockApiServer api) {
        return api.admin().configMaps().inNamespace(NS).withName(NAME).get().getMetadata().getResourceVersion();
    }

    private static String revision(String text) {
        return TestPolicies.compile("web.fwpolicy", text).revision();
    }

    /**
     * A restarted sidecar (same pod, same network namespace) adopts the rules in force without
     * writing: its Lease keeps saying when that revision reached the kernel, not when the sidecar
     * came back. A pod that lost its rules (a new pod under the same name) writes them again, and
     * that is the new time.
     */
    @Test
    void aRestartThatAdoptsTheRulesKeepsWhenTheyReachedTheKernel() throws Exception {
        for (boolean rulesInForce : new boolean[] {true, false}) {
            var firewall = new FakeFirewall();
            if (rulesInForce) firewall.sync(TestPolicies.compile("web.fwpolicy", TestPolicies.WEB));
            try (var api = new MockApiServer()) {
                putConfigMap(api, TestPolicies.WEB);
                var long_ago = Instant.parse("2026-11-30T08:00:00Z");
                var before = new EnforcementLease(POD, NS + "/" + NAME, Optional.of(revision(TestPolicies.WEB)), EnforcementState.IN_SYNC,
                        Optional.of(long_ago.plusMillis(250)), Optional.of("41"), Optional.of(long_ago), Optional.empty(),
                        long_ago.plusSeconds(30), Duration.ofSeconds(3));
                api.admin().resources(Lease.class).inNamespace(NS).resource(before.toLease(NS, long_ago)).create();
                var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096));
                var keeper = new LeaseKeeper(api.admin(), NS, POD, NS + "/" + NAME, Duration.ofSeconds(1));
                var started = Instant.now();
                try (var svc = new ServiceHarness(firewall, vertx -> new ConfigMapSource(api.client(vertx, new ApiServerHealth()), NS, NAME),
                        options.withLease(Optional.of(keeper)))) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
                    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                            .until(() -> read(api).renewedAt().isAfter(started) && read(api).revision().isPresent());
                    var after = read(api);
                    assertThat(after.revision()).isEqualTo(before.revision());
                    if (rulesInForce) {
                        assertThat(after.enforcedAt()).as("adopted").isEqualTo(before.enforcedAt());
                        assertThat(after.resourceVersion()).hasValue("41");
                    } else {
                        assertThat(after.enforcedAt().orElseThrow()).as("written again").isAfter(Instant.now().minusSeconds(60));
                        assertThat(after.resourceVersion()).hasValue(configMapVersion(api));
                    }
                }
            }
        }
    }

    private static EnforcementLease read(MockApiServer api) {
        return Optional.ofNullable(lease(api)).flatMap(EnforcementLease::of).orElseThrow(() -> new AssertionError("no lease yet"));
    }

    private static Lease lease(MockApiServer api) {
        return api.admin().resources(Lease.class).inNamespace(NS).withName("fwpolicy-" + POD).get();
    }

    @Test
    void theLeaseSaysWhatThePodEnforcesAndFollowsEveryChange() throws Exception {
        var firewall = new FakeFirewall();
        try (var api = new MockApiServer()) {
            var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096));
            var keeper = new LeaseKeeper(api.admin(), NS, POD, NS + "/" + NAME, Duration.ofSeconds(1));
            try (var svc = new ServiceHarness(firewall, vertx -> new ConfigMapSource(api.client(vertx, new ApiServerHealth()), NS, NAME),
                    options.withLease(Optional.of(keeper)))) {
                // Started before any policy: a Lease saying nothing is enforced yet.
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> read(api).revision().isEmpty());
                var lease = lease(api);
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(POD);
                assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
                assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "fwpolicy");

                Instant before = Instant.now();
                putConfigMap(api, TestPolicies.WEB);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).revision().equals(Optional.of(revision(TestPolicies.WEB))));
                var web = read(api);
                assertThat(web.state()).isEqualTo(EnforcementState.IN_SYNC);
                assertThat(web.configMap()).isEqualTo(NS + "/" + NAME);
                assertThat(web.resourceVersion()).hasValue(configMapVersion(api));
                assertThat(web.observedAt().orElseThrow()).isAfterOrEqualTo(before.minusMillis(5));
                assertThat(web.enforcedAt().orElseThrow()).isAfterOrEqualTo(web.observedAt().orElseThrow());
                assertThat(web.changeToEnforced().orElseThrow()).isLessThan(Duration.ofSeconds(10)).isPositive();
                assertThat(web.error()).isEmpty();

                putConfigMap(api, TestPolicies.WEB_AND_SSH);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).revision().equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
                var ssh = read(api);
                assertThat(ssh.resourceVersion()).hasValue(configMapVersion(api)).isNotEqualTo(web.resourceVersion());
                assertThat(ssh.enforcedAt().orElseThrow()).isAfter(web.enforcedAt().orElseThrow());

                // What fleet makes of it: the pod is on the ConfigMap's current revision.
                var fleet = FleetView.read(api.admin(), NS, Optional.of(NS + "/" + NAME), Instant.now());
                assertThat(fleet.pods()).singleElement().satisfies(row -> {
                    assertThat(row.current()).hasValue(true);
                    assertThat(row.stale()).isFalse();
                });

                // A refused policy: the old revision stays, and the Lease says why.
                putConfigMap(api, TestPolicies.BROKEN);
                await().atMost(Duration.ofSeconds(10)).until(() -> read(api).state() == EnforcementState.ERROR);
                var broken = read(api);
                assertThat(broken.revision()).hasValue(revision(TestPolicies.WEB_AND_SSH));
                assertThat(broken.resourceVersion()).isEqualTo(ssh.resourceVersion());
                assertThat(broken.error().orElseThrow()).startsWith("PolicyInvalid: ").contains("web-policy@" + configMapVersion(api));
                var behind = FleetView.read(api.admin(), NS, Optional.of(NS + "/" + NAME), Instant.now());
                assertThat(behind.pods().get(0).current()).hasValue(false);

                // A failing kernel is an error too; the next good sync clears it.
                putConfigMap(api, TestPolicies.WEB);
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
        }
    }
}
