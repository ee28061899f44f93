package dev.fwpolicy.engine.cluster;

import java.util.Objects;
import java.util.Optional;

/**
 * The cluster as one compile sees it: where the members of dynamic sets ({@code pods "…"},
 * {@code service …}) come from. Handed to
 * {@code Compiler.compile(sources, cluster)}; {@code Compiler.compile(sources)} is
 * {@link #NONE}.
 *
 * <p>Members never change a rule: every dynamic set is a kernel set in both families, so two
 * inputs that differ only in their snapshots compile to the same rules and rule identities and
 * differ only in {@code RuleSet.sets()} members. A caller that follows the cluster (serve's
 * watches) compiles again with a new snapshot and lets the reconciler apply the set changes.
 *
 * @param snapshot        the pods, namespaces and EndpointSlices to take members from; empty
 *                        when there is no source of members
 * @param ownNamespace    the namespace of {@code pods "…"} and {@code service NAME} written
 *                        without {@code in} / {@code NS/} (the sidecar's own namespace)
 * @param membersOptional what a rule using a dynamic set means without a snapshot: false, an
 *                        error ({@code no-cluster-state}) — nothing can be applied without
 *                        members; true ({@code fwpolicy check}), a note ({@code members-unknown})
 *                        and the sets compile empty, so the rules are still checked
 */
public record ClusterInput(Optional<ClusterSnapshot> snapshot, String ownNamespace, boolean membersOptional) {
    /** The namespace a sidecar is in when nothing says otherwise (as the API server defaults it). */
    public static final String DEFAULT_NAMESPACE = "default";

    /** No cluster: a rule that uses a dynamic set is an error. */
    public static final ClusterInput NONE = new ClusterInput(Optional.empty(), DEFAULT_NAMESPACE, false);

    public ClusterInput {
        Objects.requireNonNull(snapshot);
        Objects.requireNonNull(ownNamespace);
    }

    /** Members from {@code snapshot} (a watch's current view, or {@code --cluster-state} files). */
    public static ClusterInput of(ClusterSnapshot snapshot, String ownNamespace) {
        return new ClusterInput(Optional.of(snapshot), ownNamespace, false);
    }

    /** No snapshot, and that is fine: {@code check} without {@code --cluster-state} reports members as unknown. */
    public static ClusterInput unknownMembers(String ownNamespace) {
        return new ClusterInput(Optional.empty(), ownNamespace, true);
    }

    public boolean membersKnown() {
        return snapshot.isPresent();
    }
}
