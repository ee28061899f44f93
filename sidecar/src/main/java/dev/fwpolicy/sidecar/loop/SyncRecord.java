package dev.fwpolicy.sidecar.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One sync as the loop saw it, successful or not.
 *
 * @param trigger  what asked for it: policy, resync, api, retry, verify (after a sync that wrote), comma-joined when folded
 * @param revision the policy revision it tried to put in force
 * @param result   present when it succeeded
 * @param error    present when it failed
 * @param countedAsDrift the policy had not changed since the last successful sync, so whatever
 *                 this sync found wrong in the kernel was drift (and is counted in the metrics)
 */
public record SyncRecord(Instant at, Duration duration, String trigger, String revision, Optional<SyncResult> result,
                         Optional<String> error, boolean countedAsDrift) {

    public boolean ok() {
        return result.isPresent();
    }
}
