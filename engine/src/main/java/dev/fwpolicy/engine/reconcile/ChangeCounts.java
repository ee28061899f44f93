package dev.fwpolicy.engine.reconcile;

/**
 * What a sync changes, counted per rule (not per payload line), derived from the drift
 * statuses (see {@link #of}).
 *
 * @param added     desired rules that were nowhere in their chain
 * @param removed   rules taken out: junk, extra copies, rules of chains or policies no longer desired
 * @param moved     desired rules present but out of order (deleted and re-inserted)
 * @param repaired  desired rules present with a different body (edited by hand, or a new comment)
 * @param unchanged desired rules already in place with the expected body
 */
public record ChangeCounts(int added, int removed, int moved, int repaired, int unchanged) {

    public static final ChangeCounts NONE = new ChangeCounts(0, 0, 0, 0, 0);

    /** added = missing + missing-jump, removed = duplicate + unknown, moved, repaired = tampered, unchanged = in-sync. */
    public static ChangeCounts of(java.util.List<Drift> drift) {
        var counts = new java.util.EnumMap<DriftStatus, Integer>(DriftStatus.class);
        for (var s : DriftStatus.values()) counts.put(s, 0);
        for (Drift d : drift) counts.merge(d.status(), 1, Integer::sum);
        return of(counts);
    }

    /** As {@link #of(java.util.List)}, from counts by status (every status present). */
    public static ChangeCounts of(java.util.Map<DriftStatus, Integer> byStatus) {
        return new ChangeCounts(byStatus.get(DriftStatus.MISSING) + byStatus.get(DriftStatus.MISSING_JUMP),
                byStatus.get(DriftStatus.DUPLICATE) + byStatus.get(DriftStatus.UNKNOWN), byStatus.get(DriftStatus.MOVED),
                byStatus.get(DriftStatus.TAMPERED), byStatus.get(DriftStatus.IN_SYNC));
    }

    public ChangeCounts plus(ChangeCounts o) {
        return new ChangeCounts(added + o.added, removed + o.removed, moved + o.moved, repaired + o.repaired,
                unchanged + o.unchanged);
    }

    /** True when nothing would be written. */
    public boolean isQuiet() {
        return added == 0 && removed == 0 && moved == 0 && repaired == 0;
    }
}
