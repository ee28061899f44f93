package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.MemberSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Members followed through the API server: a {@link ClusterWatch} re-planned to exactly the
 * member sources of the policy at hand. Until the watch has listed everything the plan
 * names, the input has no snapshot ({@link ClusterInput#unknownMembers}: the policy compiles,
 * its sets empty) and {@link #follow} says so, so the loop never applies a policy whose
 * dynamic sets are empty only because nothing was listed yet.
 */
public final class WatchedCluster implements ClusterFeed {
    private final ClusterWatch watch;
    private final String ownNamespace;
    private WatchPlan plan = WatchPlan.NONE;
    /** The snapshot of the plan in force, once every informer of it has listed. */
    private volatile Optional<ClusterSnapshot> current = Optional.empty();

    public WatchedCluster(ClusterWatch watch, String ownNamespace) {
        this.watch = watch;
        this.ownNamespace = ownNamespace;
    }

    @Override
    public ClusterInput input() {
        return current.map(s -> ClusterInput.of(s, ownNamespace)).orElse(ClusterInput.unknownMembers(ownNamespace));
    }

    @Override
    public Future<Void> start(Vertx vertx, LongConsumer changed) {
        return watch.start(vertx, (snapshot, eventNanos) -> {
            current = Optional.of(snapshot);
            changed.accept(eventNanos);
        });
    }

    @Override
    public boolean follow(Set<MemberSource> sources) {
        if (sources.isEmpty()) {
            // Nothing to watch: close what ran for an earlier policy; there are no members to wait for.
            if (!plan.isEmpty()) {
                plan = WatchPlan.NONE;
                current = Optional.empty();
                watch.plan(plan);
            }
            return true;
        }
        var next = WatchPlan.of(sources);
        if (!next.equals(plan)) {
            plan = next;
            current = Optional.empty();
            watch.plan(next);
        }
        return current.isPresent();
    }

    @Override
    public Future<Void> stop() {
        return watch.stop();
    }

    @Override
    public Optional<ClusterWatchStatus> status() {
        return Optional.of(watch.status());
    }
}
