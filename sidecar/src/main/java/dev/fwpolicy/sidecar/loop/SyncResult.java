package dev.fwpolicy.sidecar.loop;

import java.time.Duration;

/**
 * The outcome of one successful sync.
 *
 * @param changes            what the first plan of the sync found, by kind of change
 * @param restoreInvocations {@code *-restore} processes run (0 for a quiet sync)
 * @param applied            rules in force in fwpolicy's chains afterwards
 */
public record SyncResult(SyncCounts counts, DriftCounts changes, int restoreInvocations, int applied, Duration duration) {}
