package dev.fwpolicy.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.Member;
import dev.fwpolicy.engine.cluster.MemberResolver;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.cluster.NamespaceScope;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.SelectorParser;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster watch against fabric8's mock API server in CRUD mode: pods created,
 * relabelled and deleted, a namespace relabelled, an EndpointSlice changed — each shows in
 * the next snapshot and so in the members a selector resolves to; a dead API server
 * leaves the last snapshot in place.
 */
class ClusterWatchTest {
    private KubernetesMockServer server;
    private KubernetesClient admin;
    private Vertx vertx;
    private KubernetesClient client;
    private ClusterWatch watch;
    private final List<ClusterSnapshot> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
                new java.util.HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        admin = server.createClient();
        vertx = Vertx.vertx();
        client = server.createClient(new Vertx5HttpClientFactory(vertx));
    }

    @AfterEach
    void stop() {
        if (watch != null) watch.stop();
        client.close();
        admin.close();
        server.destroy();
        vertx.close().await();
    }

    private void namespace(String name, Map<String, String> labels) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private void pod(String ns, String name, Map<String, String> labels, String ip) {
        admin.pods().inNamespace(ns).resource(new PodBuilder()
                        .withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                        .withNewSpec().addNewContainer().withName("main").withImage("x").endContainer().endSpec()
                        .withNewStatus().withPhase("Running").addNewPodIP(ip).endStatus().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private void slice(String ip) {
        admin.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                        .withNewMetadata().withNamespace("shop").withName("api-1")
                        .withLabels(Map.of("kubernetes.io/service-name", "api")).endMetadata()
                        .withAddressType("IPv4")
                        .addNewEndpoint().withAddresses(ip).endEndpoint().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private List<String> members(MemberSource source) {
        var last = seen.isEmpty() ? ClusterSnapshot.EMPTY : seen.get(seen.size() - 1);
        return new MemberResolver(last).members(source).stream().map(Member::describe).toList();
    }

    private static MemberSource frontendsIn(NamespaceScope scope) {
        return new MemberSource.Pods(SelectorParser.parseValid("app=frontend").orElseThrow(), scope);
    }

    @Test
    void podsNamespacesAndSlicesFollowTheApiServer() {
        namespace("shop", Map.of("team", "shop"));
        namespace("other", Map.of());
        pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        slice("10.1.0.9");
        watch = new ClusterWatch(client);
        watch.start(vertx, seen::add);

        var inShop = frontendsIn(new NamespaceScope.Named("shop"));
        var byTeam = frontendsIn(new NamespaceScope.Selected(SelectorParser.parseValid("team=shop").orElseThrow()));
        var api = new MemberSource.ServiceEndpoints(new ObjectRef("shop", "api"));
        await().atMost(Duration.ofSeconds(10)).until(() -> members(inShop).equals(List.of("10.1.0.1 (shop/frontend-1)")));
        assertThat(members(api)).containsExactly("10.1.0.9");

        pod("shop", "frontend-2", Map.of("app", "frontend"), "10.1.0.2");
        await().atMost(Duration.ofSeconds(10)).until(() -> members(inShop).size() == 2);

        pod("shop", "frontend-1", Map.of("app", "backend"), "10.1.0.1");   // relabelled out
        await().atMost(Duration.ofSeconds(10)).until(() -> members(inShop).equals(List.of("10.1.0.2 (shop/frontend-2)")));

        admin.pods().inNamespace("shop").withName("frontend-2").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> members(inShop).isEmpty());

        pod("other", "frontend-9", Map.of("app", "frontend"), "10.2.0.9");
        await().atMost(Duration.ofSeconds(10)).until(() -> watch.snapshot().orElseThrow().pods().size() == 2);
        assertThat(members(byTeam)).isEmpty();
        namespace("other", Map.of("team", "shop"));                      // the namespace joins the team
        await().atMost(Duration.ofSeconds(10)).until(() -> members(byTeam).equals(List.of("10.2.0.9 (other/frontend-9)")));

        slice("10.1.0.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> members(api).equals(List.of("10.1.0.10")));
    }

    @Test
    void aDeadApiServerKeepsTheLastSnapshot() {
        namespace("shop", Map.of());
        pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        watch = new ClusterWatch(client);
        watch.start(vertx, seen::add);
        var inShop = frontendsIn(new NamespaceScope.Named("shop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> members(inShop).size() == 1);
        var before = watch.snapshot().orElseThrow();
        int count = seen.size();

        server.destroy();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> seen.size() == count);
        assertThat(watch.snapshot()).contains(before);
        assertThat(members(inShop)).containsExactly("10.1.0.1 (shop/frontend-1)");
    }
}
