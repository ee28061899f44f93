package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.fleet.EnforcementLease;
import dev.fwpolicy.sidecar.fleet.EnforcementState;
import dev.fwpolicy.sidecar.testing.LoopbackHttp;
import dev.fwpolicy.sidecar.testing.MockApiServer;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fwpolicy serve --configmap} as a process, as in a pod: the kubelet's
 * {@code KUBERNETES_SERVICE_HOST}/{@code PORT} and the downward API's {@code POD_NAME} in its
 * environment, the API server mocked (reached through a kubeconfig), the rules in a test
 * namespace. The API server becomes a must-pass flow by itself, a ConfigMap that would cut it
 * off is refused (Event, status, the kernel unchanged), and the pod's Lease says what is enforced.
 */
@Tag("kernel")
class ConfigMapServeKernelTest {
    private static final String NS = "shop";
    private static final String NAME = "web-policy";
    private static final String BACKEND = "nft";

    /** WEB with outbound closed except DNS: the API server (10.96.0.1:443) is cut off. */
    private static final String CUTS_OFF_API = TestPolicies.WEB.replace("default outbound allow", "default outbound deny")
            .replace("  inbound {", "  outbound {\n    allow established\n    allow udp to port 53\n  }\n  inbound {");

    @TempDir
    Path tmp;

    private final LoopbackHttp http = new LoopbackHttp();

    private JsonObject status(int port) {
        return new JsonObject(http.get(port, "/v1/status").body());
    }

    @Test
    void theApiServerIsAMustPassFlowAndTheLeaseSaysWhatIsEnforced() throws Exception {
        List<String> rules;
        try (var netns = Netns.create(); var api = new MockApiServer()) {
            java.util.function.Consumer<String> put = text -> api.admin().configMaps().inNamespace(NS)
                    .resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                            .withData(Map.of("web.fwpolicy", text)).build())
                    .createOr(NonDeletingOperation::update);
            put.accept(TestPolicies.WEB);
            var kubeconfig = tmp.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                    users: [{name: sidecar, user: {token: sidecar}}]
                    contexts: [{name: mock, context: {cluster: mock, user: sidecar, namespace: shop}}]
                    current-context: mock
                    """.formatted(api.admin().getConfiguration().getMasterUrl()));
            int port = LoopbackHttp.freePort();
            var log = tmp.resolve("serve.log");
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.fwpolicy.sidecar.Main",
                    "serve", "--configmap", NS + "/" + NAME, "--netns", netns.name(), "--backend", BACKEND,
                    "--listen", "127.0.0.1:" + port, "--lease-period", "1s"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
            builder.environment().put("KUBERNETES_SERVICE_PORT", "443");
            builder.environment().put("POD_NAME", "web-0");
            builder.environment().put("POD_NAMESPACE", NS);
            var process = builder.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> http.get(port, "/readyz").statusCode() == 200);
                assertThat(status(port).getJsonArray("mustPass")).containsExactly(
                        new JsonObject().put("text", "outbound tcp to 10.96.0.1 port 443").put("origin", "api-server"));
                assertThat(Files.readString(log)).contains("the API server is a must-pass flow (from KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT)");
                var applied = status(port).getString("appliedRevision");
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> lease(api).revision().equals(Optional.of(applied)));
                assertThat(lease(api).state()).isEqualTo(EnforcementState.IN_SYNC);
                rules = netns.save(BACKEND).lines().filter(l -> l.startsWith("-A")).toList();

                // A change that goes in: the Lease follows, with the time it took from the informer to the kernel.
                put.accept(TestPolicies.WEB_AND_SSH);
                await().atMost(Duration.ofSeconds(20)).until(() -> netns.save(BACKEND).contains("--dport 22"));
                var changed = status(port).getString("appliedRevision");
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> lease(api).revision().equals(Optional.of(changed)));
                var took = lease(api).changeToEnforced().orElseThrow();
                System.out.println("ConfigMap change seen by the informer -> in the kernel (" + BACKEND + ", netns): " + took.toMillis() + " ms");
                assertThat(took).isPositive().isLessThan(Duration.ofSeconds(20));
                rules = netns.save(BACKEND).lines().filter(l -> l.startsWith("-A")).toList();

                put.accept(CUTS_OFF_API);
                await().atMost(Duration.ofSeconds(20)).until(() -> api.admin().v1().events().inNamespace(NS).list().getItems().stream()
                        .anyMatch(e -> "PolicyLockout".equals(e.getReason())));
                assertThat(status(port).getJsonObject("lastError").getString("reason")).isEqualTo("PolicyLockout");
                assertThat(netns.save(BACKEND).lines().filter(l -> l.startsWith("-A")).toList()).isEqualTo(rules);
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> lease(api).state() == EnforcementState.ERROR);
                assertThat(lease(api).revision()).hasValue(changed);
                assertThat(lease(api).error().orElseThrow()).startsWith("PolicyLockout");
            } catch (RuntimeException | Error e) {
                System.out.println("--- serve log ---\n" + Files.readString(log));
                throw e;
            } finally {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static EnforcementLease lease(MockApiServer api) {
        var lease = api.admin().resources(Lease.class).inNamespace(NS).withName("fwpolicy-web-0").get();
        return EnforcementLease.of(lease).orElseThrow();
    }
}
