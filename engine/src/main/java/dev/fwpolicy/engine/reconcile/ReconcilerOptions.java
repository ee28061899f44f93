package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.net.Family;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * @param families       which of iptables / ip6tables to manage
 * @param maxAttempts    write rounds before giving up when the verifying read-back still
 *                       differs (someone else keeps changing the table) or a restore fails
 * @param initialBackoff pause before the second round; doubles each round
 * @param payloadHook    rewrites each payload just before it is written. Identity in
 *                       production; tests use it to inject a payload the kernel rejects
 * @param verify         when a sync reads back what it wrote (see {@link VerifyMode})
 * @param counters       a sync's first read-back also reads the rules' packet and byte counters
 *                       ({@code *-save -c}), handed to the caller with the plan; nothing is
 *                       decided by them
 */
public record ReconcilerOptions(Set<Family> families, int maxAttempts, Duration initialBackoff,
                                UnaryOperator<String> payloadHook, VerifyMode verify, boolean counters) {

    public ReconcilerOptions {
        families = Set.copyOf(families);
        if (families.isEmpty()) throw new IllegalArgumentException("at least one address family must be managed");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        java.util.Objects.requireNonNull(verify, "verify");
    }

    /** Verifying right after each write ({@link VerifyMode#AFTER_WRITE}). */
    public ReconcilerOptions(Set<Family> families, int maxAttempts, Duration initialBackoff, UnaryOperator<String> payloadHook) {
        this(families, maxAttempts, initialBackoff, payloadHook, VerifyMode.AFTER_WRITE, false);
    }

    public static ReconcilerOptions defaults() {
        return new ReconcilerOptions(EnumSet.allOf(Family.class), 3, Duration.ofMillis(100), UnaryOperator.identity());
    }

    public ReconcilerOptions withPayloadHook(UnaryOperator<String> hook) {
        return new ReconcilerOptions(families, maxAttempts, initialBackoff, hook, verify, counters);
    }

    public ReconcilerOptions withMaxAttempts(int attempts) {
        return new ReconcilerOptions(families, attempts, initialBackoff, payloadHook, verify, counters);
    }

    /** Manage only these families: a host without IPv6 cannot run ip6tables at all. */
    public ReconcilerOptions withFamilies(Set<Family> only) {
        return new ReconcilerOptions(only, maxAttempts, initialBackoff, payloadHook, verify, counters);
    }

    public ReconcilerOptions withVerify(VerifyMode mode) {
        return new ReconcilerOptions(families, maxAttempts, initialBackoff, payloadHook, mode, counters);
    }

    /** Read counters with each sync's first read-back (the sidecar's rule hits). */
    public ReconcilerOptions withCounters(boolean read) {
        return new ReconcilerOptions(families, maxAttempts, initialBackoff, payloadHook, verify, read);
    }
}
