package dev.fwpolicy.engine.reconcile;

import java.util.Optional;

/**
 * A sync did not reach the desired state. The rules in force are whatever the kernel held
 * after the last successful transaction (each restore is atomic), never a half-written one.
 *
 * @see #payload() the exact stdin of the last rejected restore, when one was rejected
 * @see #stderr() what the restore tool said about it
 */
public final class ReconcileException extends RuntimeException {
    private final String payload;
    private final String stderr;

    public ReconcileException(String message, Optional<String> payload, Optional<String> stderr) {
        super(message + payload.map(p -> "\n--- payload ---\n" + p).orElse("")
                + stderr.map(s -> "--- stderr ---\n" + s.strip()).orElse(""));
        this.payload = payload.orElse(null);
        this.stderr = stderr.orElse(null);
    }

    public Optional<String> payload() {
        return Optional.ofNullable(payload);
    }

    public Optional<String> stderr() {
        return Optional.ofNullable(stderr);
    }
}
