package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.net.Family;
import java.util.Optional;

/**
 * One rule or chain of fwpolicy's part of the kernel, classified.
 *
 * @param id      the fwp1 identity the kernel rule carries, or the desired rule's when missing
 * @param kernel  the rule as read back (position, printed spec, counters); empty when missing
 * @param desired the desired rule with this identity in this chain, if there is one
 */
public record Drift(DriftStatus status, Family family, String chain, Optional<String> id, Optional<KernelRule> kernel,
                    Optional<CompiledRule> desired) {

    /** The line to show: the policy's for what a sync writes, the kernel's for what it removes. */
    public String line() {
        return switch (status) {
            case MISSING_CHAIN -> ":" + chain;
            case MISSING, MISSING_JUMP, MOVED, TAMPERED -> desired.map(RuleSpecs::saveLine)
                    .orElseGet(() -> kernel.map(KernelRule::saveLine).orElse(""));
            default -> kernel.map(KernelRule::saveLine).orElseGet(() -> desired.map(RuleSpecs::saveLine).orElse(""));
        };
    }

    /** 1-based position in its kernel chain; 0 when the kernel lacks it. */
    public int position() {
        return kernel.map(KernelRule::position).orElse(0);
    }
}
