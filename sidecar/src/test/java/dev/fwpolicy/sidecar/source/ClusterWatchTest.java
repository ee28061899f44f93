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
import dev.fwpolicy.sidecar.testing.MockApiServer;
import io.vertx.core.Vertx;
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
 * the next snapshot and so in the members a selector resolves to; the API server is asked
 * only for what the plan names; nothing is handed out before every informer has listed; a
 * dead API server leaves the last snapshot in place and the recovered one is re-listed.
 */
class ClusterWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private MockApiServer api;
    private Vertx vertx;
    private ClusterWatch watch;
    private final ApiServerHealth health = new ApiServerHealth();
    private final List<ClusterSnapshot> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        api = new MockApiServer();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (watch != null) watch.stop();
        api.close();
        vertx.close().await();
    }

    private void watch(MemberSource... sources) {
        watch(api.client(vertx, health), sources);
    }

    private void watch(io.fabric8.kubernetes.client.KubernetesClient client, MemberSource... sources) {
        watch = new ClusterWatch(client, health);
        watch.start(vertx, (snapshot, t) -> seen.add(snapshot));
        watch.plan(WatchPlan.of(List.of(sources)));
    }

    private List<String> members(MemberSource source) {
        var last = seen.isEmpty() ? ClusterSnapshot.EMPTY : seen.get(seen.size() - 1);
        return new MemberResolver(last).members(source).stream().map(Member::describe).toList();
    }

    private static MemberSource frontendsIn(NamespaceScope scope) {
        return new MemberSource.Pods(SelectorParser.parseValid("app=frontend").orElseThrow(), scope);
    }

    private static final MemberSource IN_SHOP = frontendsIn(new NamespaceScope.Named("shop"));
    private static final MemberSource BY_TEAM = frontendsIn(new NamespaceScope.Selected(SelectorParser.parseValid("team=shop").orElseThrow()));
    private static final MemberSource API = new MemberSource.ServiceEndpoints(new ObjectRef("shop", "api"));

    @Test
    void podsNamespacesAndSlicesFollowTheApiServer() {
        api.namespace("shop", Map.of("team", "shop"));
        api.namespace("other", Map.of());
        api.pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        api.slice("shop", "api", "10.1.0.9");
        watch(IN_SHOP, BY_TEAM, API);

        await().atMost(WAIT).until(() -> members(IN_SHOP).equals(List.of("10.1.0.1 (shop/frontend-1)")));
        assertThat(members(API)).containsExactly("10.1.0.9");

        api.pod("shop", "frontend-2", Map.of("app", "frontend"), "10.1.0.2");
        await().atMost(WAIT).until(() -> members(IN_SHOP).size() == 2);

        api.pod("shop", "frontend-1", Map.of("app", "backend"), "10.1.0.1");   // relabelled out
        await().atMost(WAIT).until(() -> members(IN_SHOP).equals(List.of("10.1.0.2 (shop/frontend-2)")));

        api.deletePod("shop", "frontend-2");
        await().atMost(WAIT).until(() -> members(IN_SHOP).isEmpty());

        api.pod("other", "frontend-9", Map.of("app", "frontend"), "10.2.0.9");
        await().atMost(WAIT).until(() -> watch.snapshot().orElseThrow().pods().stream().anyMatch(p -> p.ref().name().equals("frontend-9")));
        assertThat(members(BY_TEAM)).isEmpty();
        api.namespace("other", Map.of("team", "shop"));                      // the namespace joins the team
        await().atMost(WAIT).until(() -> members(BY_TEAM).equals(List.of("10.2.0.9 (other/frontend-9)")));

        api.slice("shop", "api", "10.1.0.10", "10.1.0.11");
        await().atMost(WAIT).until(() -> members(API).equals(List.of("10.1.0.10", "10.1.0.11")));
    }

    @Test
    void theApiServerFiltersWhatIsListedAndWatched() {
        api.namespace("shop", Map.of("team", "shop"));
        api.namespace("quiet", Map.of());
        api.pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        api.pod("shop", "db-1", Map.of("app", "db"), "10.1.0.5");
        api.pod("quiet", "batch-1", Map.of("app", "batch"), "10.3.0.1");
        api.slice("shop", "api", "10.1.0.9");
        api.slice("shop", "other", "10.1.0.8");
        watch(IN_SHOP, BY_TEAM, API);
        await().atMost(WAIT).until(() -> watch.snapshot().isPresent());

        var snapshot = watch.snapshot().orElseThrow();
        // Only objects some selector can pick were sent: no db, no batch pod, no quiet namespace, no other slice.
        assertThat(snapshot.pods()).extracting(p -> p.ref().text()).containsExactly("shop/frontend-1");
        assertThat(snapshot.namespaces()).extracting(n -> n.name()).containsExactly("shop");
        assertThat(snapshot.endpointSlices()).extracting(s -> s.ref().text()).containsExactly("shop/api-1");
        // One informer per distinct (kind, namespace, selector); pods in shop are covered by the all-namespace watch.
        assertThat(watch.health()).extracting(h -> h.key().describe()).containsExactly(
                "pods in all namespaces where app=frontend",
                "namespaces where team=shop",
                "endpointslices in shop where kubernetes.io/service-name=api");
        var lists = api.requests().stream().filter(r -> r.startsWith("GET") && !r.contains("watch=true")).toList();
        assertThat(lists).anyMatch(r -> r.startsWith("GET /api/v1/pods?") && r.contains("labelSelector=app%3Dfrontend"));
        assertThat(lists).anyMatch(r -> r.startsWith("GET /api/v1/namespaces?") && r.contains("labelSelector=team%3Dshop"));
        assertThat(lists).anyMatch(r -> r.startsWith("GET /apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?")
                && r.contains("labelSelector=kubernetes.io%2Fservice-name%3Dapi"));
        assertThat(api.requests()).noneMatch(r -> r.startsWith("GET") && !r.contains("labelSelector="));
        await().atMost(WAIT).until(() -> watch.health().stream().allMatch(WatchHealth::healthy));
        assertThat(watch.health()).allMatch(h -> h.lastError().isEmpty());
    }

    @Test
    void nothingIsHandedOutUntilEveryInformerHasListed() {
        api.namespace("shop", Map.of());
        api.pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        api.slice("shop", "api", "10.1.0.9");
        api.failWhen(path -> path.contains("/endpointslices"));
        watch(api.impatientClient(vertx, health), IN_SHOP, API);

        await().atMost(WAIT).until(() -> watch.health().stream().anyMatch(h -> h.lastError().isPresent()));
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> seen.isEmpty());
        var slices = watch.health().stream().filter(h -> h.key().kind() == WatchKind.ENDPOINTSLICES).findFirst().orElseThrow();
        assertThat(slices.listed()).isFalse();
        assertThat(slices.lastError().orElseThrow()).contains("injected by the test");
        assertThat(watch.listed()).isFalse();

        api.failWhen(path -> false);
        await().atMost(Duration.ofSeconds(20)).until(() -> !seen.isEmpty());
        assertThat(members(IN_SHOP)).containsExactly("10.1.0.1 (shop/frontend-1)");
        assertThat(members(API)).containsExactly("10.1.0.9");
    }

    @Test
    void aNewPlanKeepsTheInformersItSharesAndClosesTheRest() {
        api.namespace("shop", Map.of());
        api.pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        api.slice("shop", "api", "10.1.0.9");
        watch(IN_SHOP);
        await().atMost(WAIT).until(() -> seen.size() == 1);
        long podLists = api.requests().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/shop/pods?") && !r.contains("watch=true")).count();

        watch.plan(WatchPlan.of(List.of(IN_SHOP, API)));
        // Handed out again once the new informer has listed, though the pods did not change.
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(members(API)).containsExactly("10.1.0.9");
        assertThat(api.requests().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/shop/pods?") && !r.contains("watch=true")).count())
                .isEqualTo(podLists);

        watch.plan(WatchPlan.of(List.of(API)));
        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen.get(2).pods()).isEmpty();
        assertThat(watch.health()).extracting(h -> h.key().kind()).containsExactly(WatchKind.ENDPOINTSLICES);
    }

    @Test
    void aDeadApiServerKeepsTheLastSnapshotAndARecoveredOneIsListedAgain() {
        api.namespace("shop", Map.of());
        api.pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
        watch(IN_SHOP);
        await().atMost(WAIT).until(() -> members(IN_SHOP).size() == 1);
        var before = watch.snapshot().orElseThrow();
        int count = seen.size();

        assertThat(watch.status().apiServer().reachable()).isTrue();
        api.outage();
        // fabric8 reconnects the watch itself; the client's requests show the outage at once.
        await().atMost(Duration.ofSeconds(20)).until(() -> !watch.status().apiServer().reachable());
        assertThat(watch.status().apiServer().lastError().orElseThrow()).contains("/api/v1/namespaces/shop/pods");
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> seen.size() == count);
        assertThat(seen).hasSize(count);
        assertThat(watch.snapshot()).contains(before);
        assertThat(members(IN_SHOP)).containsExactly("10.1.0.1 (shop/frontend-1)");

        api.recover();
        // (The mock answers a watch resumed from a resourceVersion it has passed with 400, not
        // 410 Gone as the API server does before fabric8 re-lists: change nothing until reconnected.)
        await().atMost(Duration.ofSeconds(30)).until(() -> watch.health().get(0).healthy() && watch.status().apiServer().reachable());
        api.pod("shop", "frontend-2", Map.of("app", "frontend"), "10.1.0.2");
        await().atMost(WAIT).until(() -> members(IN_SHOP).size() == 2);
    }

    @Test
    void planOfDistinctKeys() {
        var plan = WatchPlan.of(List.of(IN_SHOP, IN_SHOP, API,
                new MemberSource.Pods(SelectorParser.parseValid("").orElseThrow(), new NamespaceScope.Named("shop")),
                new MemberSource.Pods(SelectorParser.parseValid("app=db").orElseThrow(), new NamespaceScope.Named("db")),
                new MemberSource.Pods(SelectorParser.parseValid("app=x").orElseThrow(),
                        new NamespaceScope.Selected(SelectorParser.parseValid("").orElseThrow()))));
        // "pods in shop" covers every pod selector in shop; an empty namespace selector needs no namespace watch.
        assertThat(plan.keys()).extracting(WatchKey::describe).containsExactly(
                "pods in all namespaces where app=x", "pods in db where app=db", "pods in shop",
                "endpointslices in shop where kubernetes.io/service-name=api");
        assertThat(WatchPlan.of(List.of()).isEmpty()).isTrue();
    }
}
