package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.ipset.SetPlan;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.net.Family;
import java.util.List;
import java.util.Optional;

/**
 * A dry run: per family, the changes and the exact payload a sync would write now, and the
 * kernel sets' part ({@code ipset restore}, written before the families' payloads).
 */
public record Plan(DetectedBackend backend, List<FamilyPlan> families, SetPlan sets) {

    public Plan {
        families = List.copyOf(families);
    }

    /** A plan for a kernel whose sets are not managed. */
    public Plan(DetectedBackend backend, List<FamilyPlan> families) {
        this(backend, families, SetPlan.NONE);
    }

    public boolean isEmpty() {
        return sets.isEmpty() && families.stream().allMatch(FamilyPlan::isEmpty);
    }

    public ChangeCounts counts() {
        return families.stream().map(FamilyPlan::counts).reduce(ChangeCounts.NONE, ChangeCounts::plus);
    }

    public List<Change> changes() {
        return families.stream().flatMap(f -> f.changes().stream()).toList();
    }

    public Optional<FamilyPlan> family(Family family) {
        return families.stream().filter(f -> f.family() == family).findFirst();
    }

    /** Rule and chain operations across all payloads (excludes the {@code *filter}/{@code COMMIT} frame), and set lines. */
    public int payloadLines() {
        return families.stream().mapToInt(f -> f.ops().size()).sum() + sets.lines().size();
    }
}
