package dev.fwpolicy.engine.reconcile;

import java.util.Locale;

/**
 * The one drift vocabulary: what one rule or chain of fwpolicy's part of the kernel is,
 * compared with the desired rule set, and, for kernel sets, what their members are. Decided once, by the {@link Planner}; the plan, the
 * apply summary, {@code diff}, {@code state}, {@code eval --against kernel}, the HTTP API and
 * the metrics all show these statuses unchanged.
 */
public enum DriftStatus {
    /** Desired, present once, in place, with the body fwpolicy wrote. */
    IN_SYNC,
    /** A desired rule the kernel lacks. */
    MISSING,
    /** A further copy of a desired rule (the kube-router failure). */
    DUPLICATE,
    /** A desired rule, intact, out of order. */
    MOVED,
    /** A known identity with a different body: edited in place, or an older comment. */
    TAMPERED,
    /** In an owned chain (or a hashed rule in a built-in chain) without a desired identity: junk, a forged or an old policy's rule. */
    UNKNOWN,
    /** A desired owned chain the kernel lacks (its rules are each {@link #MISSING}). */
    MISSING_CHAIN,
    /** A desired jump from a built-in chain into fwpolicy's chains that the kernel lacks. */
    MISSING_JUMP,
    /** Another program's rule in a built-in chain fwpolicy shares: never touched, not drift. */
    FOREIGN,
    /** A desired member a kernel set lacks (every member of a set the kernel lacks); counted per member. */
    MISSING_MEMBER,
    /** A member a kernel set of fwpolicy's holds that no policy asks for; counted per member. */
    EXTRA_MEMBER;

    /** {@code in-sync}, {@code missing-chain}, …: the spelling in text, JSON, HTTP and metrics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for what a sync repairs. */
    public boolean isDrift() {
        return this != IN_SYNC && this != FOREIGN;
    }
}
