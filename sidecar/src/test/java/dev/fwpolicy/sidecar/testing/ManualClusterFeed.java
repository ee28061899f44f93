package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.sidecar.source.ClusterFeed;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * A cluster feed the test drives: it says members are known only once the test {@link #list}s
 * a snapshot, records every set of member sources the loop asks it to follow, and forgets the
 * snapshot when asked to follow other sources (as the watch must list again).
 */
public final class ManualClusterFeed implements ClusterFeed {
    private final String ownNamespace;
    private volatile Optional<ClusterSnapshot> snapshot = Optional.empty();
    private volatile Set<MemberSource> following = Set.of();
    public final List<Set<MemberSource>> followed = new CopyOnWriteArrayList<>();
    private Context context;
    private LongConsumer changed;

    public ManualClusterFeed(String ownNamespace) {
        this.ownNamespace = ownNamespace;
    }

    @Override
    public ClusterInput input() {
        return snapshot.map(s -> ClusterInput.of(s, ownNamespace)).orElse(ClusterInput.unknownMembers(ownNamespace));
    }

    @Override
    public Future<Void> start(Vertx vertx, LongConsumer changed) {
        this.context = vertx.getOrCreateContext();
        this.changed = changed;
        return Future.succeededFuture();
    }

    @Override
    public boolean follow(Set<MemberSource> sources) {
        followed.add(sources);
        if (!sources.equals(following)) {
            following = sources;
            if (!sources.isEmpty()) snapshot = Optional.empty();
        }
        return sources.isEmpty() || snapshot.isPresent();
    }

    /** The watches have listed (or seen a change): {@code now} is the cluster, on the loop's context. */
    public void list(ClusterSnapshot now) {
        context.runOnContext(v -> {
            snapshot = Optional.of(now);
            changed.accept(System.nanoTime());
        });
    }

    @Override
    public Future<Void> stop() {
        return Future.succeededFuture();
    }
}
