package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.eval.DecidingRule;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.Optional;

/**
 * What one rule set does with a class of packets: the verdict and the rule that decides it,
 * or none when the built-in chain's own policy decides (a compiled rule set never lets a
 * packet get that far; a kernel read-back can).
 */
public record Outcome(Verdict verdict, Optional<CompiledRule> rule) {

    /** {@code file:line:col} of the deciding statement, worded as {@code eval} words it. */
    public String location() {
        return DecidingRule.location(verdict, rule);
    }

    /** The deciding statement as written. */
    public String text() {
        return DecidingRule.text(verdict, rule);
    }
}
