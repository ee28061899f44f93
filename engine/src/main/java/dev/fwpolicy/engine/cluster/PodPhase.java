package dev.fwpolicy.engine.cluster;

import java.util.Locale;

/** {@code status.phase}. A pod with no phase yet reads as {@link #PENDING}. */
public enum PodPhase {
    PENDING, RUNNING, SUCCEEDED, FAILED, UNKNOWN;

    /** Finished pods give their address back to the node, which may hand it to another pod. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED;
    }

    public static PodPhase of(String text) {
        if (text == null || text.isEmpty()) return PENDING;
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
