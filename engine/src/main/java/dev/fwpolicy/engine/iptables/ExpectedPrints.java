package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.CompiledRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kernel printed for each rule right after fwpolicy wrote it. iptables-save
 * normalises what it prints (adds {@code -m tcp}, turns ICMP names into numbers, …), so the
 * rendered spec is only a first guess; once fwpolicy has written a rule, the kernel's own
 * print is the body a later read-back must match, or the rule has been tampered with.
 *
 * <p>Keyed by id <em>and</em> rendered spec: an id hashes the rule's body without its comment,
 * so a new policy revision can keep the id while changing the comment (a new file:line or
 * note). What was learned for the old rendering says nothing about the new one.
 *
 * <p>Only prints that differ from the rendering are kept: the renderer matches the kernel's
 * print for everything fwpolicy emits today, so the map is usually empty and the planner's
 * per-rule question costs no lookup (it is asked for every rule of every read-back).
 */
public final class ExpectedPrints {
    private record Learned(String rendered, String printed) {}

    private final Map<String, Learned> byId = new ConcurrentHashMap<>();
    /** Bumped whenever what {@link #expected} answers may change: a plan made before is stale. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    /** The spec a correct copy of {@code rule} shows in a read-back. */
    public String expected(CompiledRule rule) {
        return expected(rule, RuleSpecs.spec(rule));
    }

    /** As {@link #expected(CompiledRule)}, given the rule's rendering ({@link RuleSpecs}). */
    public String expected(CompiledRule rule, String rendered) {
        if (byId.isEmpty()) return rendered;
        Learned l = byId.get(rule.id());
        return l != null && l.rendered().equals(rendered) ? l.printed() : rendered;
    }

    public void record(CompiledRule rule, String printedSpec) {
        String rendered = RuleSpecs.spec(rule);
        if (printedSpec.equals(rendered)) {
            // Printed as rendered: the default answer; forget any other print learned before.
            if (byId.remove(rule.id()) != null) version.incrementAndGet();
            return;
        }
        var learned = new Learned(rendered, printedSpec);
        if (!learned.equals(byId.put(rule.id(), learned))) version.incrementAndGet();
    }

    /** How many rules print differently from their rendering (tests pin what is kept). */
    public int differing() {
        return byId.size();
    }

    public long version() {
        return version.get();
    }

    /** Forgets what was learned (tests). */
    public void clear() {
        byId.clear();
        version.incrementAndGet();
    }
}
