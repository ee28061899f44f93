package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.iptables.RuleRenderer;
import dev.fwpolicy.engine.iptables.RuleSpecs;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.iptables.RuleIdentity;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.Span;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds rule sets in the compiler's chain layout straight from IR pieces (identities as the
 * compiler gives them), so evaluator and kernel tests do not depend on the compiler (and so
 * generated policies can be any shape the IR allows):
 * INPUT → FWP-INPUT = [lo ACCEPT, jumps to FWP-I-&lt;policy&gt; in order, default rule].
 */
public final class RuleSetBuilder {
    public static final String FILE = "gen.fwpolicy";

    private final Map<Direction, Verdict> defaults = new EnumMap<>(Direction.class);
    private final Map<Direction, Integer> defaultLines = new EnumMap<>(Direction.class);
    private final Map<String, List<Pending>> policies = new LinkedHashMap<>();
    private int line = 1;

    private record Pending(Direction direction, Family family, Match match, Target target, int line, String text) {}

    public RuleSetBuilder defaultVerdict(Direction d, Verdict v) {
        defaults.put(d, v);
        defaultLines.put(d, line++);
        return this;
    }

    public RuleSetBuilder policy(String name) {
        policies.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    /** Adds a rule to {@code policy}; its source line is the next line number. */
    public RuleSetBuilder rule(String policy, Direction d, Family family, Match match, Target target) {
        int l = line++;
        policies.computeIfAbsent(policy, k -> new ArrayList<>())
                .add(new Pending(d, family, match, target, l, describe(d, match, target)));
        return this;
    }

    public static Span spanAt(int line) {
        return new Span(FILE, line, 5, line, 40);
    }

    public RuleSet build() {
        var chains = new ArrayList<OwnedChain>();
        var jumps = new ArrayList<CompiledRule>();
        for (Family family : Family.values()) {
            for (Direction d : Direction.values()) {
                String main = "FWP-" + ChainNames.builtin(d);
                var mainRules = new ArrayList<CompiledRule>();
                var occurrences = new HashMap<String, Integer>();
                mainRules.add(rule(family, main, Match.loopback(), new Target.Accept(), occurrences,
                        RuleOrigin.implicit(RuleOrigin.Kind.LOOPBACK, d.keyword() + " loopback traffic is always allowed")));
                for (var p : policies.entrySet()) {
                    String chain = "FWP-" + ChainNames.letter(d) + "-" + p.getKey();
                    var rules = new ArrayList<CompiledRule>();
                    var occ = new HashMap<String, Integer>();
                    for (var r : p.getValue()) {
                        if (r.direction != d || r.family != family) continue;
                        rules.add(rule(family, chain, r.match, r.target, occ,
                                new RuleOrigin(RuleOrigin.Kind.RULE, Optional.of(p.getKey()), spanAt(r.line), r.text, Optional.empty())));
                    }
                    chains.add(new OwnedChain(family, chain, rules));
                    mainRules.add(rule(family, main, Match.any(), new Target.Jump(chain), occurrences,
                            new RuleOrigin(RuleOrigin.Kind.DISPATCH, Optional.of(p.getKey()), Span.NONE, "policy " + p.getKey(), Optional.empty())));
                }
                Verdict v = defaults.getOrDefault(d, Verdict.ALLOW);
                RuleOrigin origin = defaults.containsKey(d)
                        ? new RuleOrigin(RuleOrigin.Kind.DEFAULT, Optional.empty(), spanAt(defaultLines.get(d)),
                                "default " + d.keyword() + " " + v.keyword(), Optional.empty())
                        : RuleOrigin.implicit(RuleOrigin.Kind.DEFAULT, "no default " + d.keyword() + " declared: allow");
                mainRules.add(rule(family, main, Match.any(), target(v, family, Optional.empty()), occurrences, origin));
                chains.add(new OwnedChain(family, main, mainRules));
                jumps.add(rule(family, ChainNames.builtin(d), Match.any(), new Target.Jump(main), new HashMap<>(),
                        RuleOrigin.implicit(RuleOrigin.Kind.DISPATCH, "fwpolicy " + d.keyword())));
            }
        }
        // Main chains last in each family so the listing reads top-down like the restore payload would.
        return new RuleSet(chains, jumps, "test");
    }

    public static Target target(Verdict v, Family family, Optional<Protocol> protocol) {
        return switch (v) {
            case ALLOW -> new Target.Accept();
            case DENY -> new Target.Drop();
            case REJECT -> new Target.Reject(protocol.orElse(null) == Protocol.TCP ? Target.Reject.How.TCP_RESET
                    : Target.Reject.How.PORT_UNREACHABLE);
        };
    }

    private static CompiledRule rule(Family family, String chain, Match m, Target t, Map<String, Integer> occurrences,
                                     RuleOrigin origin) {
        String body = RuleRenderer.body(family, m, t, chain);
        int occ = occurrences.merge(body, 1, Integer::sum) - 1;
        String id = RuleIdentity.hash(family, FilterTable.NAME, chain, body, occ);
        return new CompiledRule(id, family, chain, m, t, origin.policy().orElse("") + " " + origin.span().location(), origin);
    }

    static String describe(Direction d, Match m, Target t) {
        var sb = new StringBuilder(t instanceof Target.Accept ? "allow" : t instanceof Target.Drop ? "deny"
                : t instanceof Target.Reject ? "reject" : "log");
        if (m.established()) return sb.append(" established").toString();
        m.protocol().ifPresent(p -> sb.append(' ').append(p.keyword()));
        if (m.source().isPresent() || !m.sourcePorts().isEmpty()) {
            sb.append(" from ").append(m.source().map(RuleSetBuilder::addr).orElse("any"));
            if (!m.sourcePorts().isEmpty()) sb.append(" port ").append(portsSource(m.sourcePorts()));
        }
        if (m.destination().isPresent() || !m.destinationPorts().isEmpty()) {
            sb.append(" to ").append(m.destination().map(RuleSetBuilder::addr).orElse("any"));
            if (!m.destinationPorts().isEmpty()) sb.append(" port ").append(portsSource(m.destinationPorts()));
        }
        m.icmpType().ifPresent(i -> sb.append(" type ").append(i));
        return sb.toString();
    }

    private static String addr(AddressMatch a) {
        return (a.negated() ? "not " : "") + a.set().map(s -> "$" + s.set()).orElse(a.cidr().source());
    }

    private static String portsSource(List<PortRange> ranges) {
        if (ranges.size() == 1) return ranges.get(0).source();
        return "{" + ranges.stream().map(PortRange::source).collect(Collectors.joining(", ")) + "}";
    }

    /** The whole rule set as one iptables-restore payload per family (owned chains flushed, jumps appended). */
    public static String restorePayload(RuleSet rs, Family family) {
        var sb = new StringBuilder("*filter\n");
        for (var c : rs.chains(family)) sb.append(':').append(c.name()).append(" - [0:0]\n");
        for (var c : rs.chains(family)) for (var r : c.rules()) sb.append(RuleSpecs.saveLine(r)).append('\n');
        for (var j : rs.jumps(family)) sb.append(RuleSpecs.saveLine(j)).append('\n');
        return sb.append("COMMIT\n").toString();
    }
}
