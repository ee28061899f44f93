package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.ipset.SetPlan;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.net.Family;
import java.util.List;
import java.util.Optional;

/**
 * A dry run: per family, the classified drift and the exact payload a sync would write now,
 * and the kernel sets' part ({@code ipset restore}, written before the families' payloads).
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

    /** Every classified rule and chain, family by family. */
    public List<Drift> drift() {
        return families.stream().flatMap(f -> f.drift().stream()).toList();
    }

    /** Only what a sync repairs (no in-sync or foreign rules). */
    public List<Drift> problems() {
        return families.stream().flatMap(f -> f.problems().stream()).toList();
    }

    /** How many rules or chains have each status (every status present, zero when none). */
    public java.util.Map<DriftStatus, Integer> countsByStatus() {
        var map = new java.util.EnumMap<DriftStatus, Integer>(DriftStatus.class);
        for (var s : DriftStatus.values()) map.put(s, 0);
        for (var f : families) f.countsByStatus().forEach((k, v) -> map.merge(k, v, Integer::sum));
        // Set drift is counted in members, not rules: a set missing 3 members counts 3.
        map.merge(DriftStatus.MISSING_MEMBER, sets.missingMembers(), Integer::sum);
        map.merge(DriftStatus.EXTRA_MEMBER, sets.extraMembers(), Integer::sum);
        return map;
    }

    public Optional<FamilyPlan> family(Family family) {
        return families.stream().filter(f -> f.family() == family).findFirst();
    }

    /** Rule and chain operations across all payloads (excludes the {@code *filter}/{@code COMMIT} frame), and set lines. */
    public int payloadLines() {
        return families.stream().mapToInt(f -> f.ops().size()).sum() + sets.lines().size();
    }
}
