package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.net.Family;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table of one family as the kernel printed it, chains in the printed order.
 *
 * @param raw      the read-back's text without counters and print times ({@link SaveText}): what it
 *                 says about the rules, to which a later read-back is compared
 * @param warnings benign notes the tool printed (e.g. that the other backend also holds tables)
 * @param counters the rules' packet and byte counters, when read with {@code -c}
 */
public record KernelTable(Family family, String table, Map<String, KernelChain> chains, String raw, List<String> warnings,
                          TableCounters counters) {

    public KernelTable {
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        warnings = List.copyOf(warnings);
    }

    /** A table read without counters. */
    public KernelTable(Family family, String table, Map<String, KernelChain> chains, String raw, List<String> warnings) {
        this(family, table, chains, raw, warnings, TableCounters.NONE);
    }

    /**
     * This read-back's rules with {@code text}'s counters, when {@code text} (a later read-back of
     * the same table) holds exactly these rules; empty when the rules differ.
     */
    public Optional<KernelTable> reread(String text, List<String> newWarnings, boolean withCounters) {
        if (!warnings.equals(newWarnings)) return Optional.empty();
        return SaveText.sameRules(raw, text, table, withCounters).map(c -> c == counters ? this : new KernelTable(family, table, chains, raw, warnings, c));
    }

    /**
     * The same parse of the same rules (counters aside): what a reused read-back
     * ({@link #reread}) shares with the table it came from. By identity, so it costs a look at
     * each chain, not at each rule.
     */
    public boolean sameRules(KernelTable other) {
        if (this == other) return true;
        if (family != other.family || !table.equals(other.table) || chains.size() != other.chains.size()) return false;
        var mine = chains.values().iterator();
        var theirs = other.chains.values().iterator();
        while (mine.hasNext()) if (mine.next() != theirs.next()) return false;
        return true;
    }

    public Optional<KernelChain> chain(String name) {
        return Optional.ofNullable(chains.get(name));
    }

    public int ruleCount() {
        return chains.values().stream().mapToInt(c -> c.rules().size()).sum();
    }
}
