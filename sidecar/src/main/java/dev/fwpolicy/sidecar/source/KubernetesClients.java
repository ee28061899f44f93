package dev.fwpolicy.sidecar.source;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;

/**
 * The one way serve builds its Kubernetes client: on the service's own Vert.x (not a second
 * event-loop pool), every request seen by an {@link ApiServerHealth}.
 */
public final class KubernetesClients {
    private KubernetesClients() {}

    /** Configured as kubectl would be: in-cluster service account, else KUBECONFIG or ~/.kube/config. */
    public static KubernetesClient create(Vertx vertx, ApiServerHealth health) {
        return builder(vertx, health).build();
    }

    public static KubernetesClient create(Vertx vertx, ApiServerHealth health, Config config) {
        return builder(vertx, health).withConfig(config).build();
    }

    private static KubernetesClientBuilder builder(Vertx vertx, ApiServerHealth health) {
        return new KubernetesClientBuilder().withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("fwpolicy-api-server-health", health));
    }
}
