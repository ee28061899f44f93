package dev.fwpolicy.sidecar.loop;

import java.util.List;
import java.util.Map;

/**
 * A dry run: what a sync would change now.
 *
 * @param payloads family label → exact {@code *-restore} stdin (only families with changes)
 */
public record DiffView(SyncCounts counts, List<PlannedChange> changes, Map<String, String> payloads) {

    public DiffView {
        changes = List.copyOf(changes);
        payloads = Map.copyOf(payloads);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
