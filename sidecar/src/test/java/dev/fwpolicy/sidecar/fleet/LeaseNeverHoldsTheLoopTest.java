package dev.fwpolicy.sidecar.fleet;

import static dev.fwpolicy.sidecar.fleet.LeaseKeeperTest.NAME;
import static dev.fwpolicy.sidecar.fleet.LeaseKeeperTest.NS;
import static dev.fwpolicy.sidecar.fleet.LeaseKeeperTest.putConfigMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.source.ApiServerHealth;
import dev.fwpolicy.sidecar.source.ConfigMapSource;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.MockApiServer;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Lease writes must never hold back or fail the reconcile, while the ConfigMap comes from the mock
 * server: with the Leases going to an "API server" that accepts connections and never answers
 * (and a client that would wait ten minutes), every policy change still reaches the kernel — had
 * anything waited for a Lease write, none would; with one that refuses connections, the failed
 * writes are counted and retried, and the policy goes in all the same.
 */
class LeaseNeverHoldsTheLoopTest {

    @Test
    void aHangingApiServerForLeasesDoesNotHoldThePolicyBack() throws Exception {
        var firewall = new FakeFirewall();
        var clients = new ArrayList<KubernetesClient>();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (var api = new MockApiServer(); var blackHole = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            var acceptor = new Thread(() -> {
                try {
                    while (!blackHole.isClosed()) held.add(blackHole.accept()); // read nothing, answer nothing
                } catch (java.io.IOException closed) {
                    // test over
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
            var silent = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + blackHole.getLocalPort()).withRequestTimeout(600_000)
                    .withRequestRetryBackoffLimit(0).build()).build();
            clients.add(silent);
            var keeper = new LeaseKeeper(silent, NS, "web-0", NS + "/" + NAME, Duration.ofSeconds(1));
            var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                    .withLease(Optional.of(keeper));
            try (var svc = new ServiceHarness(firewall, vertx -> new ConfigMapSource(api.client(vertx, new ApiServerHealth()), NS, NAME),
                    options)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty()); // the first write hangs from now on
                for (var text : List.of(TestPolicies.WEB, TestPolicies.WEB_AND_SSH, TestPolicies.WEB)) {
                    putConfigMap(api, text);
                    var want = Optional.of(TestPolicies.compile("web.fwpolicy", text).revision());
                    await().atMost(Duration.ofSeconds(20)).until(() -> firewall.appliedRevision.equals(want));
                }
                var metrics = svc.get("/metrics").body();
                assertThat(metrics).as("the first write is still hanging").contains("fwpolicy_lease_writes_total{result=\"ok\"} 0.0")
                        .contains("fwpolicy_lease_writes_total{result=\"failed\"} 0.0");
                assertThat(held).as("writes do not pile up: one at a time").hasSize(1);
                assertThat(svc.snapshot().ready()).isTrue();
            }
        } finally {
            clients.forEach(KubernetesClient::close);
            for (var s : held) s.close();
        }
    }

    @Test
    void refusedLeaseWritesAreCountedAndRetriedAndThePolicyGoesInAllTheSame() throws Exception {
        var firewall = new FakeFirewall();
        var clients = new ArrayList<KubernetesClient>();
        try (var api = new MockApiServer()) {
            // The API server answers 500 to everything about Leases (as a missing RBAC rule would answer 403).
            api.failWhen(path -> path.contains("/leases"));
            var refusing = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.admin().getConfiguration())
                    .withRequestRetryBackoffLimit(0).build()).build();
            clients.add(refusing);
            var keeper = new LeaseKeeper(refusing, NS, "web-0", NS + "/" + NAME, Duration.ofSeconds(1));
            var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                    .withLease(Optional.of(keeper));
            try (var svc = new ServiceHarness(firewall, vertx -> new ConfigMapSource(api.client(vertx, new ApiServerHealth()), NS, NAME),
                    options)) {
                putConfigMap(api, TestPolicies.WEB);
                var want = Optional.of(TestPolicies.compile("web.fwpolicy", TestPolicies.WEB).revision());
                await().atMost(Duration.ofSeconds(20)).until(() -> firewall.appliedRevision.equals(want));
                await().atMost(Duration.ofSeconds(20)).until(() -> svc.get("/metrics").body()
                        .matches("(?s).*fwpolicy_lease_writes_total\\{result=\"failed\"\\} [3-9].*"));
                assertThat(svc.snapshot().ready()).isTrue();
                assertThat(svc.snapshot().lastSync().orElseThrow().ok()).isTrue();
                // The API server is fine again: the next retry writes the Lease.
                api.failWhen(path -> false);
                await().atMost(Duration.ofSeconds(20)).until(() -> api.admin().resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                        .inNamespace(NS).withName("fwpolicy-web-0").get() != null);
            }
        } finally {
            clients.forEach(KubernetesClient::close);
        }
    }
}
