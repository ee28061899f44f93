package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.sidecar.fleet.EnforcementLease;
import dev.fwpolicy.sidecar.fleet.EnforcementState;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.fwpolicy.sidecar.testing.MockApiServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fwpolicy fleet} against fabric8's mock API server (CRUD mode) holding the ConfigMap and
 * the Leases sidecars wrote: pods × revision × state × time from change to enforcement, who is
 * behind, which Lease is stale, the exit code, and Leases that are not fwpolicy's left out.
 */
class FleetCommandTest {
    private static final String NS = "shop";

    @TempDir
    Path tmp;

    private MockApiServer server;
    private KubernetesClient admin;
    private Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        server = new MockApiServer();
        admin = server.admin();
        kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: admin, user: {token: admin}}]
                contexts: [{name: mock, context: {cluster: mock, user: admin, namespace: %s}}]
                current-context: mock
                """.formatted(admin.getConfiguration().getMasterUrl(), NS));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String configMap(String name, String text) {
        return admin.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .endMetadata().withData(Map.of("web.fwpolicy", text)).build()).create().getMetadata().getResourceVersion();
    }

    private void lease(EnforcementLease status) {
        admin.resources(Lease.class).inNamespace(NS).resource(status.toLease(NS, Instant.now())).create();
    }

    private static EnforcementLease status(String pod, String configMap, String text, EnforcementState state, String rv,
                                           Instant observed, Duration took, Instant renewed, Optional<String> error) {
        return new EnforcementLease(pod, configMap, Optional.of(TestPolicies.compile("web.fwpolicy", text).revision()), state,
                Optional.of(observed.plus(took)), Optional.of(rv), Optional.of(observed), error, renewed, Duration.ofSeconds(90));
    }

    @Test
    void listsPodsRevisionStateAndTimeToEnforcementAndWhoIsBehindOrStale() throws Exception {
        String oldRv = configMap("web-policy", TestPolicies.WEB);
        admin.configMaps().inNamespace(NS).withName("web-policy").edit(cm -> new ConfigMapBuilder(cm)
                .withData(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH)).build());
        String rv = admin.configMaps().inNamespace(NS).withName("web-policy").get().getMetadata().getResourceVersion();
        configMap("other-policy", TestPolicies.WEB);
        var now = Instant.now();
        var changed = now.minusSeconds(30);
        lease(status("web-a", NS + "/web-policy", TestPolicies.WEB_AND_SSH, EnforcementState.IN_SYNC, rv, changed,
                Duration.ofMillis(312), now, Optional.empty()));
        lease(status("web-b", NS + "/web-policy", TestPolicies.WEB, EnforcementState.ERROR, oldRv, changed.minusSeconds(600),
                Duration.ofMillis(95), now, Optional.of("PolicyLockout: configmap:shop/web-policy@" + rv + " would cut off 1 must-pass flow(s)")));
        lease(status("web-c", NS + "/web-policy", TestPolicies.WEB_AND_SSH, EnforcementState.IN_SYNC, rv, changed,
                Duration.ofMillis(1200), now.minusSeconds(600), Optional.empty()));
        lease(status("other-a", NS + "/other-policy", TestPolicies.WEB, EnforcementState.IN_SYNC, "1", changed,
                Duration.ofMillis(50), now, Optional.empty()));
        // Someone else's Lease (leader election): not fwpolicy's, never listed.
        admin.resources(Lease.class).inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("controller-leader")
                .endMetadata().withNewSpec().withHolderIdentity("controller-0").endSpec().build()).create();

        var text = CliRun.of("fleet", "--kubeconfig", kubeconfig.toString(), "--configmap", NS + "/web-policy");
        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCodes.FAILED);
        var rev = TestPolicies.compile("web.fwpolicy", TestPolicies.WEB_AND_SSH).revision();
        assertThat(text.out()).contains("configmap shop/web-policy: resourceVersion " + rv + ", revision " + rev)
                .containsPattern("web-a +" + rev + " +in-sync +yes +" + rv + " +312 ms")
                .containsPattern("web-b +\\w+ +error +behind +" + oldRv + " +95 ms")
                .contains("    PolicyLockout: configmap:shop/web-policy@" + rv)
                .containsPattern("web-c +" + rev + " +in-sync +stale")
                .contains("3 pod(s): 2 in-sync, 0 drift, 1 error; 2 on the current revision, 1 behind; 1 stale")
                .doesNotContain("other-a").doesNotContain("controller");

        var json = CliRun.of("fleet", "--kubeconfig", kubeconfig.toString(), "--configmap", NS + "/web-policy", "--format", "json").json();
        assertThat(json.getString("namespace")).isEqualTo(NS);
        assertThat(json.getJsonArray("configMaps").getJsonObject(0).getString("revision")).isEqualTo(rev);
        var pods = json.getJsonArray("pods");
        assertThat(pods.size()).isEqualTo(3);
        var a = pods.getJsonObject(0);
        assertThat(a.getString("pod")).isEqualTo("web-a");
        assertThat(a.getString("lease")).isEqualTo("fwpolicy-web-a");
        assertThat(a.getString("enforcement")).isEqualTo("in-sync");
        assertThat(a.getBoolean("current")).isTrue();
        assertThat(a.getBoolean("stale")).isFalse();
        assertThat(a.getLong("changeToEnforcedMs")).isEqualTo(312L);
        assertThat(a.getString("resourceVersion")).isEqualTo(rv);
        assertThat(pods.getJsonObject(1).getBoolean("current")).isFalse();
        assertThat(pods.getJsonObject(2).getBoolean("stale")).isTrue();
        assertThat(json.getJsonObject("podCounts").getLong("behind")).isEqualTo(1L);

        // The whole namespace: the other ConfigMap's pod too, each against its own ConfigMap.
        var all = CliRun.of("fleet", "--kubeconfig", kubeconfig.toString(), "--format", "json").json();
        assertThat(all.getJsonArray("pods").stream().map(p -> ((JsonObject) p).getString("pod")))
                .containsExactly("other-a", "web-a", "web-b", "web-c");
        assertThat(all.getJsonArray("pods").getJsonObject(0).getBoolean("current")).isTrue();
        assertThat(all.getJsonArray("configMaps").size()).isEqualTo(2);
    }

    @Test
    void allInSyncOnTheCurrentRevisionExitsZeroAndAnEmptyNamespaceSaysSo() throws Exception {
        String rv = configMap("web-policy", TestPolicies.WEB);
        var empty = CliRun.of("fleet", "--kubeconfig", kubeconfig.toString(), "--namespace", NS);
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).contains("no fwpolicy Leases in namespace shop");
        var now = Instant.now();
        lease(status("web-a", NS + "/web-policy", TestPolicies.WEB, EnforcementState.IN_SYNC, rv, now.minusSeconds(5),
                Duration.ofMillis(200), now, Optional.empty()));
        var run = CliRun.of("fleet", "--kubeconfig", kubeconfig.toString(), "--configmap", NS + "/web-policy");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(CliRun.of("fleet", "--kubeconfig", kubeconfig.toString(), "--configmap", "no-slash").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }
}
