package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.CompiledRule;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each IR rule's iptables text, kept while the rule lives. The planner compares every
 * read-back line with the spec of its desired rule on every sync (10,000+ per plan), and the
 * rule set it plans for is the same object from one sync to the next, so each rule is
 * rendered once, not once per sync. Keyed by the rule object (identity, weakly): rule records
 * compare by value, and hashing a rule's whole value on every lookup would cost as much as
 * rendering it.
 *
 * <p>A rule read back from the kernel ({@code eval --against kernel}) is given the text the
 * kernel printed for it with {@link #printed}: answers about that rule quote the kernel's line,
 * byte for byte, not a re-rendering.
 */
public final class RuleSpecs {
    private static final ConcurrentHashMap<Object, String> SPECS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<CompiledRule> GONE = new ReferenceQueue<>();

    private RuleSpecs() {}

    /** Everything after {@code -A CHAIN }, with the identity comment. */
    public static String spec(CompiledRule rule) {
        String s = SPECS.get(new Probe(rule));
        if (s != null) return s;
        s = RuleRenderer.spec(rule);
        put(rule, s);
        return s;
    }

    /** The line as iptables-save prints it: {@code -A CHAIN spec}. */
    public static String saveLine(CompiledRule rule) {
        return "-A " + rule.chain() + " " + spec(rule);
    }

    /** Records the kernel's own text for a rule built from a read-back. */
    public static void printed(CompiledRule rule, String spec) {
        put(rule, spec);
    }

    private static void put(CompiledRule rule, String spec) {
        for (Object k; (k = GONE.poll()) != null; ) SPECS.remove(k);
        SPECS.put(new Key(rule, GONE), spec);
    }

    /** The stored key: a weak reference that compares by the identity of its rule. */
    private static final class Key extends WeakReference<CompiledRule> {
        private final int hash;

        Key(CompiledRule rule, ReferenceQueue<CompiledRule> queue) {
            super(rule, queue);
            hash = System.identityHashCode(rule);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            Object mine = get();
            return mine != null && (o instanceof Key k ? k.get() == mine : o instanceof Probe p && p.rule == mine);
        }
    }

    /** A lookup key: no reference object (and no queue) for every question. */
    private static final class Probe {
        private final CompiledRule rule;

        Probe(CompiledRule rule) {
            this.rule = rule;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(rule);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.get() == rule;
        }
    }
}
