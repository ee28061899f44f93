package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.ir.CompiledRule;
import java.util.Optional;

/**
 * One rule the evaluator consulted, in the order netfilter would: {@code depth} is 0 in the
 * built-in chain, 1 in FWP-INPUT/OUTPUT, 2 in a policy chain. A matched rule either decided
 * (terminal target), logged (and the walk went on), or jumped.
 */
public record Step(CompiledRule rule, int depth, Optional<Mismatch> mismatch) {

    public boolean matched() {
        return mismatch.isEmpty();
    }
}
