package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportNetworkPolicyCommandTest {
    static final Path CLUSTER = Path.of("../examples/cluster-state/shop.json");
    static final Path POLICIES = Path.of("../examples/networkpolicy/shop-db.yaml");
    static final Path EXPECTED = Path.of("../examples/networkpolicy/shop-db-0.expected");

    @TempDir
    Path tmp;

    @Test
    void theExampleImportsToItsExpectedPolicy() throws IOException {
        var run = CliRun.of("import", "networkpolicy", "--cluster-state", CLUSTER.toString(), "--pod", "shop/db-0", POLICIES.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(EXPECTED));
    }

    @Test
    void theImportedPolicyIsFmtCleanAndChecksCleanWithTheClusterItCameFrom() throws IOException {
        var file = tmp.resolve("imported.fwpolicy");
        Files.copy(EXPECTED, file);
        assertThat(CliRun.of("fmt", "--check", file.toString()).exitCode()).isZero();
        var check = CliRun.of("check", "--format", "json", file.toString());
        var diagnostics = new io.vertx.core.json.JsonObject(check.out()).getJsonArray("diagnostics");
        assertThat(diagnostics).isNotEmpty();
        assertThat(diagnostics.stream().map(d -> ((io.vertx.core.json.JsonObject) d).getString("code")))
                .as("without the cluster, only what cannot be known").containsOnly("members-unknown");
        var withCluster = CliRun.of("check", "--format", "json", "--cluster-state", CLUSTER.toString(), file.toString());
        assertThat(withCluster.exitCode()).isZero();
        assertThat(new io.vertx.core.json.JsonObject(withCluster.out()).getJsonArray("diagnostics")).isEmpty();
    }

    @Test
    void anUnsupportedFieldIsAnErrorNotDropped() throws IOException {
        var file = tmp.resolve("np.yaml");
        Files.writeString(file, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: np, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                    - from:
                        - podSelector: {matchLabels: {app: web}}
                          serviceAccountSelector: {name: web}
                """);
        var run = CliRun.of("import", "networkpolicy", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("NetworkPolicy shop/np: spec.ingress[0].from[0]: unsupported field(s) [serviceAccountSelector]");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void matchExpressionsAndTheirErrors() throws IOException {
        var file = tmp.resolve("np.yaml");
        Files.writeString(file, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: np, namespace: shop}
                spec:
                  podSelector:
                    matchExpressions:
                      - {key: tier, operator: NotIn, values: [web]}
                      - {key: canary, operator: DoesNotExist}
                  ingress:
                    - from:
                        - namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [shop, platform]}]}
                """);
        var run = CliRun.of("import", "networkpolicy", file.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("pods in namespaces \"team in (platform,shop)\"").contains("policy shop-np {");

        // Without metadata.namespace the policy lives in --namespace, and its pod selectors look there.
        var noNamespace = tmp.resolve("nons.yaml");
        Files.writeString(noNamespace, Files.readString(file).replace("metadata: {name: np, namespace: shop}", "metadata: {name: np}")
                .replace("namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [shop, platform]}]}",
                        "podSelector: {matchLabels: {app: web}}"));
        var other = CliRun.of("import", "networkpolicy", "--namespace", "team-a", noNamespace.toString());
        assertThat(other.out()).contains("policy team-a-np {").contains("pods \"app=web\" in team-a");

        Files.writeString(file, Files.readString(file).replace("operator: NotIn", "operator: Gt"));
        var bad = CliRun.of("import", "networkpolicy", file.toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(bad.err()).contains("spec.podSelector.matchExpressions[0].operator: 'Gt' is not In, NotIn, Exists or DoesNotExist");
    }

    @Test
    void anUnresolvableNamedPortFailsTheImport() {
        var run = CliRun.of("import", "networkpolicy", "--cluster-state", CLUSTER.toString(), "--pod", "shop/frontend-7d9f-abcde",
                POLICIES.toString());
        // frontend pods are selected by metrics-from-prometheus (tier=web) but have no 'metrics' port.
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("error: shop/metrics-from-prometheus ingress[0]: named port 'metrics' (tcp) is not a container port of shop/frontend-7d9f-abcde");
    }
}
