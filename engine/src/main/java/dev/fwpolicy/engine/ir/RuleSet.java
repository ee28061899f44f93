package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Family;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The canonical rule set: what the kernel must hold for fwpolicy's part (for iptables, in the
 * filter table: {@code iptables.FilterTable}).
 * {@code chains} are owned outright; {@code jumps} are fwpolicy's only rules inside the
 * built-in chains (one per direction and family), each hashed like any other rule.
 * {@code revision} is a hash of the sources, to tell which policy version is in force.
 * {@code sets} are the kernel sets the rules match by name; they exist before any rule that
 * names them is written, and go only after no rule names them.
 */
public record RuleSet(List<OwnedChain> chains, List<CompiledRule> jumps, String revision, List<NetworkSet> sets) {

    public RuleSet {
        chains = List.copyOf(chains);
        jumps = List.copyOf(jumps);
        sets = List.copyOf(sets);
    }

    /** A rule set whose rules match no kernel set. */
    public RuleSet(List<OwnedChain> chains, List<CompiledRule> jumps, String revision) {
        this(chains, jumps, revision, List.of());
    }

    public List<NetworkSet> sets(Family family) {
        return sets.stream().filter(s -> s.family() == family).toList();
    }

    public List<OwnedChain> chains(Family family) {
        return chains.stream().filter(c -> c.family() == family).toList();
    }

    public List<CompiledRule> jumps(Family family) {
        return jumps.stream().filter(j -> j.family() == family).toList();
    }

    public Optional<OwnedChain> chain(Family family, String name) {
        return chains.stream().filter(c -> c.family() == family && c.name().equals(name)).findFirst();
    }

    /** Every rule, jumps first, then chains in order. */
    public Stream<CompiledRule> allRules() {
        return Stream.concat(jumps.stream(), chains.stream().flatMap(c -> c.rules().stream()));
    }

    public int ruleCount() {
        return jumps.size() + chains.stream().mapToInt(c -> c.rules().size()).sum();
    }

    public Map<String, CompiledRule> byId() {
        var map = new java.util.LinkedHashMap<String, CompiledRule>();
        allRules().forEach(r -> map.put(r.id(), r));
        return map;
    }
}
