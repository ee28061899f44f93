package dev.fwpolicy.sidecar.fleet;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** fabric8's mock API server in CRUD mode with an admin client, for the Lease and fleet tests. */
final class MockApiServer implements AutoCloseable {
    static final String NS = "shop";
    static final String NAME = "web-policy";

    final KubernetesMockServer server;
    final KubernetesClient admin;

    MockApiServer() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        admin = server.createClient();
    }

    void putConfigMap(String text) {
        admin.configMaps().inNamespace(NS)
                .resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                        .withData(Map.of("web.fwpolicy", text)).build())
                .createOr(NonDeletingOperation::update);
    }

    String configMapVersion() {
        return admin.configMaps().inNamespace(NS).withName(NAME).get().getMetadata().getResourceVersion();
    }

    Optional<Lease> lease(String name) {
        return Optional.ofNullable(admin.resources(Lease.class).inNamespace(NS).withName(name).get());
    }

    /** A kubeconfig for the CLI, pointing at this server. */
    Path kubeconfig(Path dir) throws IOException {
        var file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: admin, user: {token: admin}}]
                contexts: [{name: mock, context: {cluster: mock, user: admin, namespace: %s}}]
                current-context: mock
                """.formatted(admin.getConfiguration().getMasterUrl(), NS));
        return file;
    }

    @Override
    public void close() {
        admin.close();
        server.destroy();
    }
}
