package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ConfigMap mode end to end: fabric8's mock API server in CRUD mode, the real reconciler in a
 * test network namespace. Create → in the kernel; update → in the kernel; break → the kernel
 * keeps the last good rules and an Event is recorded; fix → in the kernel.
 */
@Tag("kernel")
class ConfigMapKernelTest {
    private static final String NS = "shop";
    private static final String NAME = "web-policy";
    private static final String BACKEND = "nft";

    @Test
    void configMapLifecycleReachesTheKernel() throws Exception {
        try (var netns = Netns.create()) {
            var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), true);
            server.init(InetAddress.getByName("127.0.0.1"), 0);
            var admin = server.createClient();
            var clients = new ArrayList<KubernetesClient>();
            try (var svc = new ServiceHarness(ReconcilerFirewall.open(Optional.of(netns.name()), BACKEND), vertx -> {
                var client = server.createClient(new Vertx5HttpClientFactory(vertx));
                clients.add(client);
                return new ConfigMapSource(client, NS, NAME);
            }, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
                java.util.function.Consumer<String> put = text -> admin.configMaps().inNamespace(NS)
                        .resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                                .withData(Map.of("web.fwpolicy", text)).build())
                        .createOr(NonDeletingOperation::update);

                put.accept(TestPolicies.WEB);
                await().atMost(Duration.ofSeconds(20)).until(() -> svc.snapshot().ready());
                assertThat(netns.save(BACKEND)).contains("--dport 80").doesNotContain("--dport 22");

                put.accept(TestPolicies.WEB_AND_SSH);
                await().atMost(Duration.ofSeconds(20)).until(() -> netns.save(BACKEND).contains("--dport 22"));

                var good = netns.save(BACKEND).lines().filter(l -> l.startsWith("-A")).toList();
                put.accept(TestPolicies.BROKEN);
                await().atMost(Duration.ofSeconds(20)).until(() -> admin.v1().events().inNamespace(NS).list().getItems().stream()
                        .anyMatch(e -> "PolicyInvalid".equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName())));
                assertThat(netns.save(BACKEND).lines().filter(l -> l.startsWith("-A")).toList()).isEqualTo(good);

                put.accept(TestPolicies.WEB);
                await().atMost(Duration.ofSeconds(20)).until(() -> !netns.save(BACKEND).contains("--dport 22"));
                assertThat(svc.snapshot().problem()).isEmpty();
                assertThat(svc.service.loop().inspect(true).toCompletionStage().toCompletableFuture().get().plan().problems().isEmpty()).isTrue();
            } finally {
                clients.forEach(KubernetesClient::close);
                admin.close();
                server.destroy();
            }
        }
    }
}
