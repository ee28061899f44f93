package dev.fwpolicy.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.cluster.Member;
import dev.fwpolicy.engine.cluster.MemberResolver;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.cluster.NamespaceScope;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.PodPhase;
import dev.fwpolicy.engine.cluster.SelectorParser;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStateFilesTest {
    static final Path EXAMPLE = Path.of("../examples/cluster-state/shop.json");

    @TempDir
    Path tmp;

    @Test
    void theExampleIsReadIntoTheSnapshotItDescribes() {
        var snapshot = ClusterStateFiles.read(EXAMPLE);
        assertThat(snapshot.namespaces()).extracting(n -> n.name()).containsExactly("shop", "monitoring", "kube-system");
        assertThat(snapshot.pods()).hasSize(7);
        var db = snapshot.pod(new ObjectRef("shop", "db-0")).orElseThrow();
        assertThat(db.podIPs()).extracting(a -> a.text()).containsExactly("10.244.1.20", "fd00:10:244:1::20");
        assertThat(db.ports()).extracting(p -> p.name().orElseThrow() + ":" + p.port()).containsExactly("pg:5432", "metrics:9187");
        assertThat(snapshot.pod(new ObjectRef("kube-system", "node-exporter-q7t2p")).orElseThrow().hostNetwork()).isTrue();
        assertThat(snapshot.pod(new ObjectRef("shop", "migrate-28419")).orElseThrow().phase()).isEqualTo(PodPhase.SUCCEEDED);

        var resolver = new MemberResolver(snapshot);
        assertThat(resolver.members(new MemberSource.ServiceEndpoints(new ObjectRef("shop", "api"))))
                .extracting(m -> m.address().text() + " " + m.behind())
                .containsExactly("10.96.14.2 ClusterIP of service shop/api", "10.244.1.31 pod shop/frontend-7d9f-abcde",
                        "10.244.2.17 pod shop/frontend-7d9f-fghij");
        // The finished migration pod is no member, though it matches "every pod of shop".
        assertThat(resolver.members(new MemberSource.Pods(SelectorParser.parseValid("").orElseThrow(), new NamespaceScope.Named("shop"))))
                .extracting(Member::describe).noneMatch(s -> s.contains("migrate"));
    }

    @Test
    void yamlReadsAsTheSameSnapshotAsJson() throws IOException {
        var serialization = new KubernetesSerialization();
        Object list = serialization.unmarshal(Files.newInputStream(EXAMPLE));
        var yaml = tmp.resolve("shop.yaml");
        Files.writeString(yaml, serialization.asYaml(list));
        assertThat(Files.readString(yaml)).contains("kind: \"List\"").doesNotContain("{\n");
        assertThat(ClusterStateFiles.read(yaml)).isEqualTo(ClusterStateFiles.read(EXAMPLE));
    }

    @Test
    void otherKindsAndBadAddressesAreErrorsNamingTheObject() throws IOException {
        var file = tmp.resolve("bad.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: p, namespace: shop}
                    status: {podIPs: [{ip: 10.0.0.300}]}
                """);
        assertThatThrownBy(() -> ClusterStateFiles.read(file))
                .hasMessageContaining("Deployment shop/web: a cluster state holds Pods, Namespaces, Services and EndpointSlices")
                .hasMessageContaining("Pod shop/p: status.podIPs: '10.0.0.300' is not an IP address");
    }
}
