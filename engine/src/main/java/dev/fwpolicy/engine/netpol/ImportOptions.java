package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.ObjectRef;
import java.util.Optional;

/**
 * @param cluster where named ports and {@code pod}'s labels are looked up
 * @param pod     the pod the sidecar protects: only policies selecting it are imported
 * @param name    the policy name to write (derived from the pod or the policy otherwise)
 */
public record ImportOptions(Optional<ClusterSnapshot> cluster, Optional<ObjectRef> pod, Optional<String> name) {
    public static final ImportOptions NONE = new ImportOptions(Optional.empty(), Optional.empty(), Optional.empty());
}
