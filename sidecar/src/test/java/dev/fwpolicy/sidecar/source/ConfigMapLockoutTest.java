package dev.fwpolicy.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.eval.LockoutGuard;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ConfigMap mode with the API server as a must-pass flow (found the way {@code serve --configmap}
 * finds it), on fabric8's mock API server: a policy that would cut the API server off is refused
 * like a broken one — the last good rules stay, a Warning Event on the ConfigMap, /v1/status says
 * why — and the fix arrives through the very ConfigMap it would have cut off.
 */
class ConfigMapLockoutTest {
    private static final String NS = "shop";
    private static final String NAME = "web-policy";

    /** WEB, with every outbound connection closed but DNS. */
    private static final String CUTS_OFF_API = TestPolicies.WEB.replace("default outbound allow", "default outbound deny")
            .replace("  inbound {", "  outbound {\n    allow established\n    allow udp to port 53\n  }\n  inbound {");

    /** The same, with the API server let out. */
    private static final String KEEPS_API = CUTS_OFF_API.replace("allow udp to port 53", "allow udp to port 53\n    allow tcp to 10.96.0.1 port 443");

    @Test
    void aPolicyThatBlocksTheApiServerIsRefusedWithAnEventAndTheLastGoodRulesStay() throws Exception {
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        var admin = server.createClient();
        var clients = new ArrayList<KubernetesClient>();
        var firewall = new FakeFirewall();
        // The pod's environment as the kubelet writes it; the client itself talks to the mock server.
        var apiServer = ApiServerFlow.of(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"),
                admin.getConfiguration().getMasterUrl());
        var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                .withGuard(LockoutGuard.NONE.plus(apiServer.flows()));
        java.util.function.Consumer<String> put = text -> admin.configMaps().inNamespace(NS)
                .resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                        .withData(Map.of("web.fwpolicy", text)).build())
                .createOr(NonDeletingOperation::update);
        try (var svc = new ServiceHarness(firewall, vertx -> {
            var client = server.createClient(new Vertx5HttpClientFactory(vertx));
            clients.add(client);
            return new ConfigMapSource(client, NS, NAME);
        }, options)) {
            var status = svc.get("/v1/status").json();
            assertThat(status.getJsonArray("mustPass")).containsExactly(
                    new JsonObject().put("text", "outbound tcp to 10.96.0.1 port 443").put("origin", "api-server"));

            put.accept(TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            var good = firewall.appliedRevision;
            int syncs = firewall.syncs.get();

            put.accept(CUTS_OFF_API);
            await().atMost(Duration.ofSeconds(10)).until(() -> !lockoutEvents(admin).isEmpty());
            var event = lockoutEvents(admin).get(0);
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMessage()).contains("the last good rules stay in force")
                    .contains("web.fwpolicy:3:3: error[lockout]: must-pass flow \"outbound tcp to 10.96.0.1 port 443\" from api-server "
                            + "would be denied by web.fwpolicy:3:3: default outbound deny");
            var lastError = svc.get("/v1/status").json().getJsonObject("lastError");
            assertThat(lastError.getString("reason")).isEqualTo("PolicyLockout");
            assertThat(lastError.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("lockout");
            assertThat(firewall.appliedRevision).isEqualTo(good);
            assertThat(firewall.syncs.get()).as("a refused policy is never synced").isEqualTo(syncs);
            // What a reload would do, POST /v1/check says too.
            var check = svc.post("/v1/check", "application/json", new JsonObject()
                    .put("files", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "web.fwpolicy").put("text", CUTS_OFF_API)))
                    .encode());
            assertThat(check.json().getBoolean("ok")).isFalse();

            put.accept(KEEPS_API);
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(
                    Optional.of(TestPolicies.compile("web.fwpolicy", KEEPS_API).revision())));
            assertThat(svc.snapshot().problem()).isEmpty();
        } finally {
            clients.forEach(KubernetesClient::close);
            admin.close();
            server.destroy();
        }
    }

    private static List<Event> lockoutEvents(KubernetesClient admin) {
        return admin.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "PolicyLockout".equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName())).toList();
    }
}
