package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.eval.Evaluator.BuiltinPolicy;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.ArrayList;
import java.util.List;

/**
 * Which packets two rule sets decide differently, exactly: the classes do not overlap, every
 * packet whose verdict differs lies in one, and each class has one deciding rule before and
 * one after (classes that share that pair are merged where the partition allows). The
 * semantics are the evaluator's: first match over the chains as netfilter walks them, the
 * built-in chain's policy when nothing decides, conntrack state as RELATED/ESTABLISHED or not,
 * kernel sets by their members, negation as the complement.
 */
public final class PolicyComparison {
    private PolicyComparison() {}

    /** Two compiled rule sets (their built-in chains never decide). */
    public static List<Change> compare(RuleSet before, RuleSet after) {
        return compare(before, BuiltinPolicy.ACCEPT, after, BuiltinPolicy.ACCEPT);
    }

    public static List<Change> compare(RuleSet before, BuiltinPolicy beforePolicy, RuleSet after, BuiltinPolicy afterPolicy) {
        var out = new ArrayList<Change>();
        for (var direction : Direction.values()) {
            for (var family : Family.values()) {
                var partition = new Partition(family,
                        Flattener.flatten(before, family, direction, beforePolicy.of(family, direction)),
                        Flattener.flatten(after, family, direction, afterPolicy.of(family, direction)));
                Classes.collect(partition, partition.solve(), direction, out);
            }
        }
        return List.copyOf(out);
    }
}
