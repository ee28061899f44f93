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
 *                           iptables-save makes a restarted engine rewrite those rules once
 */
public record SyncReport(DetectedBackend backend, ChangeCounts counts, int restoreInvocations, int payloadLines,
                         int attempts, int renderMismatches, Duration duration) {

    public boolean wroteNothing() {
        return restoreInvocations == 0;
    }

    /** One line for logs and the CLI. */
    public String summary() {
        return "added %d, removed %d, moved %d, repaired %d, unchanged %d (%d restore call(s), %d payload line(s), %d ms, %s)"
                .formatted(counts.added(), counts.removed(), counts.moved(), counts.repaired(), counts.unchanged(),
                        restoreInvocations, payloadLines, duration.toMillis(), backend.backend().label());
    }
}
