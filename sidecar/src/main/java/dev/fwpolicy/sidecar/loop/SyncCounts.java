package dev.fwpolicy.sidecar.loop;

/** Rule changes of one sync or plan, counted per rule (the reconciler's ChangeCounts). */
public record SyncCounts(int added, int removed, int moved, int repaired, int unchanged) {

    public static final SyncCounts NONE = new SyncCounts(0, 0, 0, 0, 0);

    public boolean isQuiet() {
        return added == 0 && removed == 0 && moved == 0 && repaired == 0;
    }
}
