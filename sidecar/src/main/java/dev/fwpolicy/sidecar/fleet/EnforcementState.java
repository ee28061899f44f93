package dev.fwpolicy.sidecar.fleet;

import java.util.Optional;

/** What a sidecar says about its pod's rules in its Lease. */
public enum EnforcementState {
    /** The last sync succeeded and found the kernel as the policy in force wants it. */
    IN_SYNC("in-sync"),
    /** The last sync found rules changed behind fwpolicy's back while the policy stayed the same (and repaired them). */
    DRIFT("drift"),
    /** The last sync failed, or the latest policy input was refused: the pod enforces an older revision or none. */
    ERROR("error");

    private final String word;

    EnforcementState(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static Optional<EnforcementState> of(String word) {
        for (var s : values()) if (s.word.equals(word)) return Optional.of(s);
        return Optional.empty();
    }
}
