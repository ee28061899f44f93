package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.Optional;

/**
 * How an answer names what decided it: the statement's {@code file:line:col} and text, or the
 * built-in chain's own policy when no rule did. One wording for the evaluator's
 * {@link Decision} and for compare's outcomes, so {@code eval} and {@code compare} point at a
 * rule the same way.
 */
public final class DecidingRule {
    private DecidingRule() {}

    /** {@code file:line:col} of the rule's statement, or {@code <implicit>} for a rule no line wrote. */
    public static String location(CompiledRule rule) {
        return rule.origin().span().line() > 0 ? rule.origin().span().location() : "<implicit>";
    }

    /** {@code file:line:col} of the deciding statement, or {@code <built-in chain policy …>}. */
    public static String location(Verdict verdict, Optional<CompiledRule> rule) {
        return rule.map(DecidingRule::location).orElseGet(() -> "<" + builtinPolicy(verdict) + ">");
    }

    /** The deciding statement as written, or the built-in chain policy. */
    public static String text(Verdict verdict, Optional<CompiledRule> rule) {
        return rule.map(r -> r.origin().text()).orElseGet(() -> builtinPolicy(verdict));
    }

    /** What decides when no rule did: the built-in chain's own policy. */
    public static String builtinPolicy(Verdict verdict) {
        return "built-in chain policy " + switch (verdict) {
            case ALLOW -> "ACCEPT";
            case DENY -> "DROP";
            case REJECT -> "REJECT";
        };
    }
}
