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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps a {@link ClusterSnapshot} current from fabric8 informers, one per {@link WatchKey} of
 * the {@link WatchPlan} in force, and hands every changed snapshot to a consumer on the
 * Vert.x context it was started on. Events arriving together are coalesced into one
 * snapshot.
 *
 * <p>Nothing is handed out until every informer of the plan has listed once, so a starting
 * (or re-planned) watch never looks like an empty cluster. When a list or watch fails,
 * fabric8 keeps its cache and retries with backoff, so the last members stay (a broken watch
 * never empties a set) until a successful re-list says otherwise. A malformed object is left
 * out with a warning, not allowed to stop the watch.
 */
public final class ClusterWatch {
    private static final System.Logger LOG = System.getLogger("fwpolicy.source.cluster");
    /** A failing watch is logged once, then at most this often, so an API outage does not flood the log. */
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final ApiServerHealth apiServer;
    private Context context;
    private Listener changes = (s, t) -> {};
    /** {@link System#nanoTime()} of the first event since the last rebuild was queued. */
    private long firstEventNanos;
    /** Replaced (never changed in place) on the context; read from any thread by {@link #health()}. */
    private volatile Map<WatchKey, Watched<?>> active = Map.of();
    private boolean rebuildQueued;
    private volatile Optional<ClusterSnapshot> last = Optional.empty();
    private volatile Optional<Instant> lastChangeAt = Optional.empty();

    /** @param apiServer the health interceptor {@code client} was built with ({@link KubernetesClients}) */
    public ClusterWatch(KubernetesClient client, ApiServerHealth apiServer) {
        this.client = client;
        this.apiServer = apiServer;
    }

    /** Where changed snapshots go. */
    @FunctionalInterface
    public interface Listener {
        /** @param firstEventNanos {@link System#nanoTime()} of the first event this snapshot carries */
        void changed(ClusterSnapshot snapshot, long firstEventNanos);
    }

    /** Binds the watch to the caller's context (changes are delivered there); informers start with {@link #plan}. */
    public Future<Void> start(Vertx vertx, Listener changes) {
        this.context = vertx.getOrCreateContext();
        this.changes = changes;
        return Future.succeededFuture();
    }

    /**
     * Watches exactly what {@code plan} names: informers already running for a key are kept (no
     * re-list), others are started, those no longer named are closed. On the context. The next
     * snapshot is handed out once every informer of the new plan has listed, even when it
     * equals the last one, so the caller knows the plan is covered. From another thread the
     * change is made on the context, later.
     */
    public void plan(WatchPlan plan) {
        if (Vertx.currentContext() != context) {
            context.runOnContext(v -> plan(plan));
            return;
        }
        if (plan.keys().equals(active.keySet())) return;
        var next = new LinkedHashMap<WatchKey, Watched<?>>();
        for (var key : plan.keys()) {
            var running = active.get(key);
            next.put(key, running != null ? running : open(key));
        }
        for (var entry : active.entrySet()) {
            if (!next.containsKey(entry.getKey())) {
                entry.getValue().informer.close();
                LOG.log(Level.INFO, "stopped watching {0}", entry.getKey());
            }
        }
        active = Map.copyOf(next);
        last = Optional.empty();
        for (var watched : next.values()) {
            if (!watched.informer.isRunning()) watched.start();
        }
        changed();
    }

    public Future<Void> stop() {
        active.values().forEach(w -> w.informer.close());
        active = Map.of();
        return Future.succeededFuture();
    }

    /** The snapshot last handed out, if every informer of the plan has listed since it was made. */
    public Optional<ClusterSnapshot> snapshot() {
        return last;
    }

    /** Every informer of the plan has listed once. */
    public boolean listed() {
        return active.values().stream().allMatch(w -> w.informer.hasSynced());
    }

    public List<WatchHealth> health() {
        return active.values().stream().map(Watched::health).sorted((a, b) -> a.key().compareTo(b.key())).toList();
    }

    public ClusterWatchStatus status() {
        return new ClusterWatchStatus(listed(), apiServer.state(), health(), lastChangeAt);
    }

    private Watched<?> open(WatchKey key) {
        return switch (key.kind()) {
            case PODS -> {
                var pods = key.namespace().isPresent() ? client.pods().inNamespace(key.namespace().get()) : client.pods().inAnyNamespace();
                var informer = key.labelSelector().isEmpty() ? pods.runnableInformer(0)
                        : pods.withLabelSelector(key.labelSelector()).runnableInformer(0);
                yield new Watched<>(key, informer, p -> ClusterObjects.pod(p));
            }
            case NAMESPACES -> {
                var namespaces = client.namespaces();
                var informer = key.labelSelector().isEmpty() ? namespaces.runnableInformer(0)
                        : namespaces.withLabelSelector(key.labelSelector()).runnableInformer(0);
                yield new Watched<>(key, informer, n -> ClusterObjects.namespace(n));
            }
            case ENDPOINTSLICES -> {
                var all = client.discovery().v1().endpointSlices();
                var slices = key.namespace().isPresent() ? all.inNamespace(key.namespace().get()) : all.inAnyNamespace();
                var informer = key.labelSelector().isEmpty() ? slices.runnableInformer(0)
                        : slices.withLabelSelector(key.labelSelector()).runnableInformer(0);
                yield new Watched<>(key, informer, s -> ClusterObjects.slice(s).orElse(null));
            }
        };
    }

    /** From fabric8's threads: one rebuild on the context, however many events arrive before it runs. */
    private void changed() {
        long now = System.nanoTime();
        synchronized (this) {
            if (rebuildQueued) return;
            rebuildQueued = true;
            firstEventNanos = now;
        }
        context.runOnContext(v -> rebuild());
    }

    private void rebuild() {
        long eventNanos;
        synchronized (this) {
            rebuildQueued = false;
            eventNanos = firstEventNanos;
        }
        var watched = active;
        if (watched.isEmpty() || !watched.values().stream().allMatch(w -> w.informer.hasSynced())) return;
        // Informers whose selectors overlap hold the same object: keep the newest version of each.
        var pods = new TreeMap<String, Versioned>();
        var namespaces = new TreeMap<String, Versioned>();
        var slices = new TreeMap<String, Versioned>();
        for (var w : watched.values()) {
            var into = switch (w.key.kind()) {
                case PODS -> pods;
                case NAMESPACES -> namespaces;
                case ENDPOINTSLICES -> slices;
            };
            w.convertInto(into);
        }
        var snapshot = new ClusterSnapshot(values(pods, Pod.class), values(namespaces, Namespace.class), List.of(),
                values(slices, EndpointSlice.class));
        if (last.equals(Optional.of(snapshot))) return;
        last = Optional.of(snapshot);
        lastChangeAt = Optional.of(Instant.now());
        changes.changed(snapshot, eventNanos);
    }

    private static <T> List<T> values(TreeMap<String, Versioned> objects, Class<T> type) {
        var out = new ArrayList<T>(objects.size());
        for (var v : objects.values()) out.add(type.cast(v.converted));
        return out;
    }

    /** An object as converted, with the resourceVersion it was converted at (to convert each version once). */
    private record Versioned(String resourceVersion, Object converted) {
        boolean newerThan(Versioned other) {
            try {
                return Long.parseLong(resourceVersion) > Long.parseLong(other.resourceVersion);
            } catch (NumberFormatException e) {
                return false; // opaque versions: either copy will do, the next event settles it
            }
        }
    }

    /** One informer, its conversions, and what went wrong with it. */
    private final class Watched<T extends HasMetadata> {
        final WatchKey key;
        final SharedIndexInformer<T> informer;
        final java.util.function.Function<T, Object> conversion;
        /** Conversions by object key; touched only by rebuilds, on the context. */
        private Map<String, Versioned> converted = new HashMap<>();
        private volatile Optional<String> lastError = Optional.empty();
        private volatile Optional<Instant> lastErrorAt = Optional.empty();
        private volatile Instant lastLogged = Instant.EPOCH;
        private volatile int failures;

        Watched(WatchKey key, SharedIndexInformer<T> informer, java.util.function.Function<T, Object> conversion) {
            this.key = key;
            this.informer = informer;
            this.conversion = conversion;
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
            // Keep retrying (fabric8's backoff) whatever the failure: the cache, and so the
            // members, stay as last listed, and the sidecar must not crash-loop over an API outage.
            informer.exceptionHandler((started, error) -> {
                failed(error);
                return true;
            });
        }

        void start() {
            LOG.log(Level.INFO, "watching {0}", key);
            informer.start().whenComplete((v, error) -> {
                if (error == null) {
                    LOG.log(Level.INFO, "listed {0}: {1} object(s)", key, informer.getStore().list().size());
                    changed();
                }
            });
        }

        private void failed(Throwable error) {
            var now = Instant.now();
            String message = error.getMessage() == null ? error.toString() : error.getMessage();
            failures++;
            lastError = Optional.of(message);
            lastErrorAt = Optional.of(now);
            if (Duration.between(lastLogged, now).compareTo(FAILURE_LOG_INTERVAL) >= 0) {
                lastLogged = now;
                LOG.log(Level.WARNING, "watching {0} failed ({1} failure(s) so far), keeping the last members and retrying: {2}",
                        key, failures, message);
            }
        }

        void convertInto(Map<String, Versioned> into) {
            var next = new HashMap<String, Versioned>(converted.size() * 2 + 16);
            for (T o : informer.getStore().list()) {
                var meta = o.getMetadata();
                String id = (meta.getNamespace() == null ? "" : meta.getNamespace()) + "/" + meta.getName();
                String rv = meta.getResourceVersion() == null ? "" : meta.getResourceVersion();
                var known = converted.get(id);
                Versioned v = known != null && known.resourceVersion.equals(rv) ? known : convert(o, rv);
                next.put(id, v);
                if (v.converted == null) continue;
                var other = into.get(id);
                if (other == null || v.newerThan(other)) into.put(id, v);
            }
            converted = next;
        }

        private Versioned convert(T o, String rv) {
            try {
                return new Versioned(rv, conversion.apply(o));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "{0}: {1}; left out", KubernetesFiles.describe(o), e.getMessage());
                return new Versioned(rv, null);
            }
        }

        WatchHealth health() {
            return new WatchHealth(key, informer.hasSynced(), informer.isWatching(), informer.getStore().list().size(),
                    lastError, lastErrorAt, failures);
        }
    }
}
