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
        int added = 0, removed = 0, moved = 0, repaired = 0, unchanged = 0;
        for (Drift d : drift) {
            switch (d.status()) {
                case MISSING, MISSING_JUMP -> added++;
                case DUPLICATE, UNKNOWN -> removed++;
                case MOVED -> moved++;
                case TAMPERED -> repaired++;
                case IN_SYNC -> unchanged++;
                case MISSING_CHAIN, FOREIGN -> { }
            }
        }
        return new ChangeCounts(added, removed, moved, repaired, unchanged);
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
