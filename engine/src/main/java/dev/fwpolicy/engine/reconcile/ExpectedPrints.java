package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.ir.CompiledRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kernel printed for each rule right after fwpolicy wrote it. iptables-save
 * normalises what it prints (adds {@code -m tcp}, turns ICMP names into numbers, …), so the
 * rendered spec is only a first guess; once fwpolicy has written a rule, the kernel's own
 * print is the body a later read-back must match, or the rule has been tampered with.
 */
public final class ExpectedPrints {
    private final Map<String, String> printedById = new ConcurrentHashMap<>();

    /** The spec a correct copy of {@code rule} shows in a read-back. */
    public String expected(CompiledRule rule) {
        return printedById.getOrDefault(rule.id(), rule.spec());
    }

    void record(String id, String printedSpec) {
        printedById.put(id, printedSpec);
    }

    /** Forgets what was learned (tests; a new policy revision needs no reset, ids are content hashes). */
    public void clear() {
        printedById.clear();
    }
}
