package dev.fwpolicy.sidecar.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import dev.fwpolicy.sidecar.source.ApiServerHealth;
import dev.fwpolicy.sidecar.source.KubernetesClients;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * fabric8's mock API server in CRUD mode, with what the cluster-watch tests need around it:
 * every request path recorded (to see what the API server was asked, and how filtered),
 * injected failures for paths a test chooses, an outage that stops the server and a
 * recovery that brings it back on the same port with the same objects, and one-line helpers
 * to create namespaces, pods and EndpointSlices.
 */
public final class MockApiServer implements AutoCloseable {
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private volatile Predicate<String> failing = path -> false;
    private KubernetesMockServer server;
    private final int port;
    private final KubernetesClient admin;

    public MockApiServer() {
        server = serve(0);
        port = server.getPort();
        admin = server.createClient();
    }

    private KubernetesMockServer serve(int onPort) {
        var dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request.getMethod() + " " + request.getPath());
                if (failing.test(request.getPath())) {
                    return new MockResponse().setResponseCode(500)
                            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500,\"message\":\"injected by the test\"}");
                }
                return crud.dispatch(request);
            }
        };
        var s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, true);
        try {
            s.init(InetAddress.getByName("127.0.0.1"), onPort);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return s;
    }

    /**
     * A client for the code under test, built as serve builds it; closed with the server. Broken
     * watches are reconnected after 0.1 s doubling to 3.2 s (fabric8's default: 1 s doubling to
     * 32 s), so a test's outage and recovery take seconds, not a minute.
     */
    public synchronized KubernetesClient client(Vertx vertx, ApiServerHealth health) {
        var config = new io.fabric8.kubernetes.client.ConfigBuilder(admin.getConfiguration()).withWatchReconnectInterval(100).build();
        var c = KubernetesClients.create(vertx, health, config);
        clients.add(c);
        return c;
    }

    /**
     * A client that gives up on a failing request at once instead of after fabric8's ten
     * retries (about 100 s), so a test sees the informer report the failure within seconds.
     */
    public synchronized KubernetesClient impatientClient(Vertx vertx, ApiServerHealth health) {
        var config = new io.fabric8.kubernetes.client.ConfigBuilder(admin.getConfiguration()).withRequestRetryBackoffLimit(0).build();
        var c = KubernetesClients.create(vertx, health, config);
        clients.add(c);
        return c;
    }

    /** The test's own client, for creating and changing objects. */
    public KubernetesClient admin() {
        return admin;
    }

    /** Every request so far, as {@code METHOD /path?query}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** From now on, requests whose path (with query) matches answer 500. */
    public void failWhen(Predicate<String> path) {
        failing = path;
    }

    /** The API server goes away: open watches break, new connections are refused. */
    public synchronized void outage() {
        server.destroy();
    }

    /** The API server is back on the same port, with the objects it had. */
    public synchronized void recover() {
        server = serve(port);
    }

    public void namespace(String name, Map<String, String> labels) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .createOr(NonDeletingOperation::update);
    }

    /** A running pod with one address. */
    public void pod(String ns, String name, Map<String, String> labels, String ip) {
        admin.pods().inNamespace(ns).resource(new PodBuilder()
                        .withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                        .withNewSpec().addNewContainer().withName("main").withImage("x").endContainer().endSpec()
                        .withNewStatus().withPhase("Running").addNewPodIP(ip).endStatus().build())
                .createOr(NonDeletingOperation::update);
    }

    public void deletePod(String ns, String name) {
        admin.pods().inNamespace(ns).withName(name).delete();
    }

    /** The one slice {@code NAME-1} of Service {@code ns/name}, holding {@code ips}. */
    public void slice(String ns, String service, String... ips) {
        var builder = new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(ns).withName(service + "-1")
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4");
        for (var ip : ips) builder.addNewEndpoint().withAddresses(ip).endEndpoint();
        admin.discovery().v1().endpointSlices().inNamespace(ns).resource(builder.build()).createOr(NonDeletingOperation::update);
    }

    @Override
    public synchronized void close() {
        clients.forEach(KubernetesClient::close);
        admin.close();
        server.destroy();
    }
}
