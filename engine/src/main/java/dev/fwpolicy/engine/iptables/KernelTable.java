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
 * @param raw      the exact text of the read-back (foreign-rule tests compare it byte for byte)
 * @param warnings benign notes the tool printed (e.g. that the other backend also holds tables)
 */
public record KernelTable(Family family, String table, Map<String, KernelChain> chains, String raw, List<String> warnings) {

    public KernelTable {
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        warnings = List.copyOf(warnings);
    }

    public Optional<KernelChain> chain(String name) {
        return Optional.ofNullable(chains.get(name));
    }

    public int ruleCount() {
        return chains.values().stream().mapToInt(c -> c.rules().size()).sum();
    }
}
