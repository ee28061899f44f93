package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --configmap against fabric8's mock API server in CRUD mode: create → applied, update →
 * applied, break → last good stays and a Warning Event is recorded, fix → applied, delete →
 * rules stay and the status says so.
 */
class ConfigMapSourceTest {
    private static final String NS = "shop";
    private static final String NAME = "web-policy";

    private KubernetesMockServer server;
    private KubernetesClient admin;

    @BeforeEach
    void startServer() throws Exception {
        // CRUD mode: the mock keeps objects and serves list/watch like an API server
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
                new java.util.HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        admin = server.createClient();
    }

    @AfterEach
    void stopServer() {
        admin.close();
        server.destroy();
    }

    private static String revision(String text) {
        return TestPolicies.compile("web.fwpolicy", text).revision();
    }

    private void put(String text) {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                .withData(Map.of("web.fwpolicy", text, "README", "keys not ending in .fwpolicy are ignored")).build();
        admin.configMaps().inNamespace(NS).resource(cm).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private List<Event> warnings() {
        return admin.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName()) && "ConfigMap".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    @Test
    void aKeyInBinaryDataIsReadLikeAFileAndItsBadBytesAreLocated() {
        // kubectl create configmap --from-file puts a file that is not UTF-8 under binaryData.
        var latin1 = "policy p {\n  # caf\u00e9\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        var good = "policy q { inbound { allow tcp to port 80 } }\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var b64 = java.util.Base64.getEncoder();
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                .withData(Map.of("a.fwpolicy", "policy a { }\n"))
                .withBinaryData(Map.of("b.fwpolicy", b64.encodeToString(latin1), "c.fwpolicy", b64.encodeToString(good),
                        "logo.png", b64.encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G'})))
                .build();
        var files = ConfigMapSource.policyFiles(cm);
        assertThat(files).extracting(dev.fwpolicy.engine.source.SourceFile::name).containsExactly("a.fwpolicy", "b.fwpolicy", "c.fwpolicy");
        var result = new dev.fwpolicy.engine.compile.Compiler().compile(files);
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("encoding");
            assertThat(d.span().location()).isEqualTo("b.fwpolicy:2:8");
        });
    }

    @Test
    void createUpdateBreakFixDelete() throws Exception {
        var firewall = new FakeFirewall();
        var clients = new java.util.ArrayList<KubernetesClient>();
        try (var svc = new ServiceHarness(firewall, vertx -> {
            // the source's client rides on the service's own Vert.x instance
            var client = server.createClient(new Vertx5HttpClientFactory(vertx));
            clients.add(client);
            return new ConfigMapSource(client, NS, NAME);
        }, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            // nothing yet: not ready, and the status says the ConfigMap is missing
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().sourceGone().isPresent());
            assertThat(svc.get("/readyz").status()).isEqualTo(503);

            put(TestPolicies.WEB);
            // The fake records the revision inside the sync; the loop takes its record a moment later.
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB)))
                    && svc.snapshot().ready());
            assertThat(svc.get("/readyz").status()).isEqualTo(200);
            assertThat(svc.snapshot().sourceGone()).isEmpty();

            put(TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));

            put(TestPolicies.BROKEN);
            await().atMost(Duration.ofSeconds(10)).until(() -> !warnings().isEmpty());
            var event = warnings().get(0);
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getReason()).isEqualTo("PolicyInvalid");
            assertThat(event.getMessage()).contains("last good rules stay in force").contains("web.fwpolicy:4:");
            assertThat(event.getInvolvedObject().getUid()).isNotBlank();
            assertThat(firewall.appliedRevision).hasValue(revision(TestPolicies.WEB_AND_SSH));
            assertThat(svc.get("/v1/status").json().getJsonObject("lastError").getString("reason")).isEqualTo("PolicyInvalid");

            put(TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB))));
            assertThat(svc.snapshot().problem()).isEmpty();

            int syncs = firewall.syncs.get();
            admin.configMaps().inNamespace(NS).withName(NAME).delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().sourceGone().isPresent());
            assertThat(svc.get("/v1/status").json().getString("sourceGone")).contains("deleted");
            assertThat(firewall.appliedRevision).hasValue(revision(TestPolicies.WEB));
            assertThat(firewall.syncs.get()).isEqualTo(syncs);
        } finally {
            clients.forEach(KubernetesClient::close);
        }
    }

    @Test
    void eventMessageIsCappedForTheApiServer() {
        var many = new java.util.ArrayList<dev.fwpolicy.engine.diag.Diagnostic>();
        for (int i = 0; i < 50; i++) {
            many.add(dev.fwpolicy.engine.diag.Diagnostic.error("E001", dev.fwpolicy.engine.source.Span.point("web.fwpolicy", i + 1, 1),
                    "x".repeat(200)));
        }
        var message = ConfigMapSource.eventMessage(new PolicyProblem(java.time.Instant.now(), "PolicyInvalid", "50 error(s)", many));
        assertThat(message.length()).isLessThanOrEqualTo(1024);
        assertThat(message).startsWith("50 error(s)\nweb.fwpolicy:1:1: error[E001]");
    }
}
