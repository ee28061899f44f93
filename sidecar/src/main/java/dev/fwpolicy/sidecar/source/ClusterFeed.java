package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.DynamicMembers;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.ir.RuleSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Where the members of dynamic sets come from, as serve's loop sees it: fixed
 * ({@code --cluster-state} files, or no cluster at all), or followed through the API server
 * ({@link WatchedCluster}). The loop compiles with {@link #input()}, tells the feed which
 * member sources the compiled policy uses, and compiles again when the feed says its input
 * changed.
 */
public interface ClusterFeed {

    /** What a compile uses now. */
    ClusterInput input();

    /**
     * Starts; {@code changed} runs on the caller's context whenever {@link #input()} changed,
     * with the {@link System#nanoTime()} of the first cluster event that change carries.
     */
    Future<Void> start(Vertx vertx, LongConsumer changed);

    /**
     * The member sources the policy at hand uses. True when {@link #input()} already holds
     * their members (the policy may be applied as compiled); false when they are still being
     * listed (it must not: its sets would be empty), in which case {@code changed} follows.
     * On the context {@link #start} ran on.
     */
    boolean follow(Set<MemberSource> sources);

    Future<Void> stop();

    /** The watches' state, where there are watches. */
    default Optional<ClusterWatchStatus> status() {
        return Optional.empty();
    }

    /** The member sources a compiled policy follows. */
    static Set<MemberSource> followedBy(RuleSet ruleSet) {
        return ruleSet.sets().stream().flatMap(s -> s.dynamic().stream()).map(DynamicMembers::follows)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Always the same input: {@code --cluster-state} files, or {@link ClusterInput#NONE}. */
    static ClusterFeed fixed(ClusterInput input) {
        return new ClusterFeed() {
            @Override
            public ClusterInput input() {
                return input;
            }

            @Override
            public Future<Void> start(Vertx vertx, LongConsumer changed) {
                return Future.succeededFuture();
            }

            @Override
            public boolean follow(Set<MemberSource> sources) {
                return true;
            }

            @Override
            public Future<Void> stop() {
                return Future.succeededFuture();
            }
        };
    }
}
