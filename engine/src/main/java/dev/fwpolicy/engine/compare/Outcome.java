package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.Optional;

/**
 * What one rule set does with a class of packets: the verdict and the rule that decides it,
 * or none when the built-in chain's own policy decides (a compiled rule set never lets a
 * packet get that far; a kernel read-back can).
 */
public record Outcome(Verdict verdict, Optional<CompiledRule> rule) {

    /** {@code file:line:col} of the deciding statement, as {@link dev.fwpolicy.engine.eval.Decision#location} says it. */
    public String location() {
        return rule.map(r -> r.origin().span().line() > 0 ? r.origin().span().location() : "<implicit>")
                .orElseGet(() -> "<" + builtinPolicy() + ">");
    }

    /** The deciding statement as written. */
    public String text() {
        return rule.map(r -> r.origin().text()).orElseGet(this::builtinPolicy);
    }

    private String builtinPolicy() {
        return "built-in chain policy " + switch (verdict) {
            case ALLOW -> "ACCEPT";
            case DENY -> "DROP";
            case REJECT -> "REJECT";
        };
    }
}
