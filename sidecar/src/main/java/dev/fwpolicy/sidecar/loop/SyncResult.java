package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.reconcile.DriftStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import dev.fwpolicy.engine.reconcile.RuleHit;

/**
 * The outcome of one successful sync.
 *
 * @param found              what the first plan of the sync classified as drift, by status (every
 *                           drift status present; all zero for a quiet sync)
 * @param restoreInvocations {@code *-restore} processes run (0 for a quiet sync)
 * @param applied            rules in force in fwpolicy's chains afterwards
 * @param hits               every desired rule's counters as the sync's first read-back saw them
 *                           (empty when the firewall does not read counters)
 */
public record SyncResult(SyncCounts counts, Map<DriftStatus, Integer> found, int restoreInvocations, int applied, Duration duration,
                         List<RuleHit> hits) {

    /** A sync that read no counters. */
    public SyncResult(SyncCounts counts, Map<DriftStatus, Integer> found, int restoreInvocations, int applied, Duration duration) {
        this(counts, found, restoreInvocations, applied, duration, List.of());
    }

    public SyncResult {
        hits = List.copyOf(hits);
        var copy = new EnumMap<DriftStatus, Integer>(DriftStatus.class);
        for (var s : DriftStatus.values()) if (s.isDrift()) copy.put(s, found.getOrDefault(s, 0));
        found = Collections.unmodifiableMap(copy);
    }

    /** Nothing found. */
    public static Map<DriftStatus, Integer> none() {
        return Map.of();
    }
}
