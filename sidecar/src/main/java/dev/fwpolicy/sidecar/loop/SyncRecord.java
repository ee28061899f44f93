package dev.fwpolicy.sidecar.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One sync as the loop saw it, successful or not.
 *
 * @param triggers what asked for it, in the order the requests came (several fold into one sync)
 * @param revision the policy revision it tried to put in force
 * @param result   present when it succeeded
 * @param error    present when it failed
 * @param countedAsDrift the policy had not changed since the last successful sync, so whatever
 *                 this sync found wrong in the kernel was drift (and is counted in the metrics)
 */
public record SyncRecord(Instant at, Duration duration, List<SyncTrigger> triggers, String revision, Optional<SyncResult> result,
                         Optional<String> error, boolean countedAsDrift) {

    public SyncRecord {
        triggers = List.copyOf(triggers);
    }

    /** The triggers' words, comma-joined: {@code policy}, {@code resync,api}. */
    public String trigger() {
        return triggers.stream().map(SyncTrigger::word).collect(Collectors.joining(","));
    }

    public boolean ok() {
        return result.isPresent();
    }
}
