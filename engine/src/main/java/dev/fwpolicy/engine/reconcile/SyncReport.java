package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.dataplane.DetectedBackend;
import java.time.Duration;

/**
 * The outcome of one successful {@link Reconciler#sync}.
 *
 * @param counts             rule changes the first plan of this sync found (all zero but
 *                           {@code unchanged} for a quiet sync)
 * @param restoreInvocations how many {@code *-restore} processes ran (0 when nothing changed)
 * @param payloadLines       rule and chain lines written, summed over invocations
 * @param attempts           write rounds needed (0 when nothing changed; more than 1 when someone
 *                           changed the table between our write and the verifying read-back)
 * @param renderMismatches   rules whose kernel print after writing differed from the rendered
 *                           spec; the printed form is learned, but a renderer that disagrees with
 *                           iptables-save makes a restarted engine rewrite those rules once.
 *                           With {@link VerifyMode#ON_NEXT_READ} these are the rules written by the
 *                           previous sync, learned from this sync's read-back
 * @param verified           whether the kernel has been read back since this sync wrote: true for a
 *                           sync that wrote nothing or verified after writing; false when it trusted
 *                           the committed transaction and left the check to the next read
 *                           ({@link VerifyMode#ON_NEXT_READ})
 * @param warnings           what the operator should know although the sync succeeded, e.g. that
 *                           fwpolicy's rules were found in the other backend and removed there
 * @param sets               the kernel sets' part: what the first plan found and what was written
 */
public record SyncReport(DetectedBackend backend, ChangeCounts counts, int restoreInvocations, int payloadLines,
                         int attempts, int renderMismatches, Duration duration, boolean verified, java.util.List<String> warnings,
                         SetSync sets) {

    public SyncReport {
        warnings = java.util.List.copyOf(warnings);
    }

    public SyncReport(DetectedBackend backend, ChangeCounts counts, int restoreInvocations, int payloadLines,
                      int attempts, int renderMismatches, Duration duration, boolean verified, java.util.List<String> warnings) {
        this(backend, counts, restoreInvocations, payloadLines, attempts, renderMismatches, duration, verified, warnings, SetSync.NONE);
    }

    /** With the kernel sets' part and no warnings. */
    public SyncReport(DetectedBackend backend, ChangeCounts counts, int restoreInvocations, int payloadLines,
                      int attempts, int renderMismatches, Duration duration, boolean verified, SetSync sets) {
        this(backend, counts, restoreInvocations, payloadLines, attempts, renderMismatches, duration, verified, java.util.List.of(), sets);
    }

    SyncReport withWarning(String warning) {
        var all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new SyncReport(backend, counts, restoreInvocations, payloadLines, attempts, renderMismatches, duration, verified, all, sets);
    }

    /**
     * @param missingMembers desired members the kernel sets lacked (all members of a missing set)
     * @param extraMembers   members the kernel sets held that are not desired
     * @param restoreInvocations {@code ipset restore} processes run
     * @param payloadLines   set lines written
     */
    public record SetSync(int missingMembers, int extraMembers, int restoreInvocations, int payloadLines) {
        public static final SetSync NONE = new SetSync(0, 0, 0, 0);
    }

    /** No kernel sets involved, no warnings. */
    public SyncReport(DetectedBackend backend, ChangeCounts counts, int restoreInvocations, int payloadLines,
                      int attempts, int renderMismatches, Duration duration, boolean verified) {
        this(backend, counts, restoreInvocations, payloadLines, attempts, renderMismatches, duration, verified, java.util.List.of(), SetSync.NONE);
    }

    /** Nothing was written: no iptables restore and no ipset restore. */
    public boolean wroteNothing() {
        return restoreInvocations == 0 && sets.restoreInvocations() == 0;
    }

    /** One line for logs and the CLI. */
    public String summary() {
        String setPart = sets.equals(SetSync.NONE) ? "" : "; sets: %d missing, %d extra member(s), %d ipset restore call(s), %d line(s)"
                .formatted(sets.missingMembers(), sets.extraMembers(), sets.restoreInvocations(), sets.payloadLines());
        return "added %d, removed %d, moved %d, repaired %d, unchanged %d (%d restore call(s), %d payload line(s), %d ms, %s%s)%s"
                .formatted(counts.added(), counts.removed(), counts.moved(), counts.repaired(), counts.unchanged(),
                        restoreInvocations, payloadLines, duration.toMillis(), backend.backend().label(),
                        verified ? "" : ", verified on the next read", setPart)
                + warnings.stream().map(w -> "; warning: " + w).collect(java.util.stream.Collectors.joining());
    }
}
