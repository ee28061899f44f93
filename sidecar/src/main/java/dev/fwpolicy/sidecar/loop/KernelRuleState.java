package dev.fwpolicy.sidecar.loop;

import java.util.Optional;

/**
 * One rule of fwpolicy's part of the kernel (or one desired rule the kernel lacks).
 *
 * @param position 1-based rule number in its chain; 0 for a MISSING rule
 * @param spec     the kernel's text for it (the desired text for a MISSING rule)
 */
public record KernelRuleState(String family, String chain, int position, Optional<String> id, Status status,
                              String spec, Optional<Long> packets, Optional<Long> bytes) {

    public enum Status {
        /** Desired, present once, in place, with the body fwpolicy wrote. */
        IN_SYNC,
        /** Desired, not in the kernel. */
        MISSING,
        /** A further copy of a desired rule. */
        DUPLICATE,
        /** A desired rule's identity with a body edited in place. */
        TAMPERED,
        /** Desired and intact, but out of order. */
        MISPLACED,
        /** In an owned chain (or a jump) without a desired identity: junk or an old policy. */
        UNKNOWN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
