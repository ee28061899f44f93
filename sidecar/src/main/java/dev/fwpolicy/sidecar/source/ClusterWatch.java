package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.EndpointSlice;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.Pod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps a {@link ClusterSnapshot} current from fabric8 informers on Pods, Namespaces and
 * EndpointSlices, and hands every changed snapshot to a consumer on the Vert.x context.
 * Events arriving together are coalesced into one snapshot. Nothing is reported until every
 * informer has listed once, so a starting watch never looks like an empty cluster; when a
 * watch fails, fabric8 keeps its cache and retries, so the last members stay (a broken
 * watch never empties a set) until a re-list says otherwise. A malformed object is left out
 * with a warning, not allowed to stop the watch.
 *
 * <p>Today it watches the three kinds cluster-wide; one informer per distinct (kind,
 * namespace, selector) a policy names, filtered by the API server, is still to come.
 */
public final class ClusterWatch {
    private static final System.Logger LOG = System.getLogger("fwpolicy.source.cluster");

    private final KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> pods;
    private SharedIndexInformer<io.fabric8.kubernetes.api.model.Namespace> namespaces;
    private SharedIndexInformer<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> slices;
    private Context context;
    private Consumer<ClusterSnapshot> changes;
    private boolean rebuildQueued;
    private Optional<ClusterSnapshot> last = Optional.empty();

    public ClusterWatch(KubernetesClient client) {
        this.client = client;
    }

    public Future<Void> start(Vertx vertx, Consumer<ClusterSnapshot> changes) {
        this.context = vertx.getOrCreateContext();
        this.changes = changes;
        pods = watch(client.pods().inAnyNamespace().runnableInformer(0), "Pods");
        namespaces = watch(client.namespaces().runnableInformer(0), "Namespaces");
        slices = watch(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0), "EndpointSlices");
        for (var informer : informers) informer.start();
        return Future.succeededFuture();
    }

    public Future<Void> stop() {
        informers.forEach(SharedIndexInformer::close);
        return Future.succeededFuture();
    }

    /** The snapshot last handed out, if every informer has listed once. */
    public Optional<ClusterSnapshot> snapshot() {
        return last;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer, String kind) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T before, T after) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                changed();
            }

            @Override
            public void onNothing() {
                changed();
            }
        });
        informer.exceptionHandler((started, error) -> {
            LOG.log(Level.WARNING, "watching {0} failed, keeping the last members and retrying: {1}", kind, error.getMessage());
            return true;
        });
        informers.add(informer);
        return informer;
    }

    /** From fabric8's threads: one rebuild on the context, however many events arrive before it runs. */
    private void changed() {
        synchronized (this) {
            if (rebuildQueued) return;
            rebuildQueued = true;
        }
        context.runOnContext(v -> rebuild());
    }

    private void rebuild() {
        synchronized (this) {
            rebuildQueued = false;
        }
        if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) return;
        var snapshot = new ClusterSnapshot(
                convert(pods.getStore().list(), ClusterObjects::pod),
                convert(namespaces.getStore().list(), ClusterObjects::namespace),
                List.of(),
                convert(slices.getStore().list(), s -> ClusterObjects.slice(s).orElse(null)));
        if (last.equals(Optional.of(snapshot))) return;
        last = Optional.of(snapshot);
        changes.accept(snapshot);
    }

    private static <F extends HasMetadata, T> List<T> convert(List<F> objects, Function<F, T> conversion) {
        var out = new ArrayList<T>();
        for (var o : objects) {
            try {
                var converted = conversion.apply(o);
                if (converted != null) out.add(converted);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "{0}: {1}; left out", KubernetesFiles.describe(o), e.getMessage());
            }
        }
        // Informer stores are hash maps: order by name so equal clusters give equal snapshots.
        out.sort((a, b) -> key(a).compareTo(key(b)));
        return out;
    }

    private static String key(Object o) {
        if (o instanceof Pod p) return p.ref().text();
        if (o instanceof Namespace n) return n.name();
        return ((EndpointSlice) o).ref().text();
    }
}
