package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the chains one (direction, family) walks into a flat first-match list, the way the
 * evaluator walks them: from the built-in chain, into a chain on a matching jump (its rules get
 * the jump's match added), back on falling off its end, past LOG rules; the built-in chain's
 * policy last, matching everything. A RETURN (an audited policy's rule) sends the packets it
 * matches on after the jump that entered its chain: there the walk goes on with the callers'
 * remaining rules for those packets, then the built-in policy, all emitted before the rest of
 * the returning chain, so first match gives them exactly the evaluator's answer.
 */
final class Flattener {
    /** As the evaluator: netfilter refuses deeper nesting; this only guards a malformed read-back. */
    private static final int MAX_DEPTH = 64;

    private final RuleSet ruleSet;
    private final Family family;
    private final Verdict builtinPolicy;
    private final List<FlatRule> out = new ArrayList<>();

    /** Where a jump came from: the rest of the calling chain, and its own caller. */
    private record Frame(List<CompiledRule> rules, int next, Frame outer) {}

    private Flattener(RuleSet ruleSet, Family family, Verdict builtinPolicy) {
        this.ruleSet = ruleSet;
        this.family = family;
        this.builtinPolicy = builtinPolicy;
    }

    static List<FlatRule> flatten(RuleSet ruleSet, Family family, Direction direction, Verdict builtinPolicy) {
        var f = new Flattener(ruleSet, family, builtinPolicy);
        String builtin = ChainNames.builtin(direction);
        f.walk(ruleSet.jumps(family).stream().filter(j -> j.chain().equals(builtin)).toList(), 0,
                new ValueRange[Dim.COUNT][], 0, null);
        f.out.add(new FlatRule(new ValueRange[Dim.COUNT][], new Outcome(builtinPolicy, Optional.empty())));
        return List.copyOf(f.out);
    }

    private void walk(List<CompiledRule> rules, int from, ValueRange[][] path, int depth, Frame callers) {
        if (depth > MAX_DEPTH) throw new IllegalStateException("chains nest deeper than " + MAX_DEPTH);
        for (int i = from; i < rules.size(); i++) {
            var rule = rules.get(i);
            var dims = constraints(rule.match());
            if (dims == null) continue;
            dims = intersect(path, dims);
            if (dims == null) continue;
            var t = rule.target();
            if (t instanceof Target.Log || t instanceof Target.AuditLog) continue;
            if (t instanceof Target.Return) {
                afterReturn(dims, depth, callers);
                continue;
            }
            if (t instanceof Target.Jump j) {
                var chain = ruleSet.chain(family, j.chain()).orElseThrow(() -> new IllegalArgumentException(
                        "rule " + rule.id() + " in " + rule.chain() + " jumps to " + j.chain() + ", which is not a chain of this rule set"));
                walk(chain.rules(), 0, dims, depth + 1, new Frame(rules, i + 1, callers));
                continue;
            }
            Verdict v = t instanceof Target.Accept ? Verdict.ALLOW : t instanceof Target.Drop ? Verdict.DENY : Verdict.REJECT;
            out.add(new FlatRule(dims, new Outcome(v, Optional.of(rule))));
        }
    }

    /** The packets of {@code dims} leave their chain: the callers' remaining rules decide them, else the built-in policy. */
    private void afterReturn(ValueRange[][] dims, int depth, Frame callers) {
        for (Frame f = callers; f != null; f = f.outer()) walk(f.rules(), f.next(), dims, depth + 1, f.outer());
        out.add(new FlatRule(dims, new Outcome(builtinPolicy, Optional.empty())));
    }

    /** Null when no packet of both can match (a dimension's intersection is empty). */
    private static ValueRange[][] intersect(ValueRange[][] a, ValueRange[][] b) {
        var out = new ValueRange[Dim.COUNT][];
        for (int d = 0; d < Dim.COUNT; d++) {
            if (a[d] == null) out[d] = b[d];
            else if (b[d] == null) out[d] = a[d];
            else {
                var both = ValueRange.intersect(List.of(a[d]), List.of(b[d]));
                if (both.isEmpty()) return null;
                out[d] = both.toArray(ValueRange[]::new);
            }
        }
        return out;
    }

    /**
     * A match as ranges per dimension; null when no packet of this family can match it. Ports
     * without a protocol match only packets that have ports, and an ICMP type only ICMP: the
     * protocol dimension says so, so every packet class below has a definite port/type meaning.
     */
    private ValueRange[][] constraints(Match m) {
        var dims = new ValueRange[Dim.COUNT][];
        if (m.loopbackInterface()) dims[Dim.LOOPBACK.ordinal()] = new ValueRange[] {ValueRange.of(1, 1)};
        if (m.protocol().isPresent()) {
            int code = ProtocolClass.code(m.protocol().get(), family);
            if (code < 0) return null;
            dims[Dim.PROTOCOL.ordinal()] = new ValueRange[] {ValueRange.of(code, code)};
        } else if (!m.sourcePorts().isEmpty() || !m.destinationPorts().isEmpty()) {
            dims[Dim.PROTOCOL.ordinal()] = new ValueRange[] {ValueRange.of(0, 2)};
        } else if (m.icmpType().isPresent()) {
            dims[Dim.PROTOCOL.ordinal()] = new ValueRange[] {ValueRange.of(ProtocolClass.ICMP_CODE, ProtocolClass.ICMP_CODE)};
        }
        if (m.protocol().isPresent() && !m.protocol().get().hasPorts()
                && (!m.sourcePorts().isEmpty() || !m.destinationPorts().isEmpty())) return null;
        if (m.established()) dims[Dim.STATE.ordinal()] = new ValueRange[] {ValueRange.of(1, 1)};
        if (m.icmpType().isPresent()) {
            if (m.protocol().isPresent() && !m.protocol().get().isIcmp()) return null;
            int t = m.icmpType().get();
            dims[Dim.ICMP_TYPE.ordinal()] = new ValueRange[] {ValueRange.of(t, t)};
        }
        dims[Dim.SOURCE_PORT.ordinal()] = ports(m.sourcePorts());
        dims[Dim.DESTINATION_PORT.ordinal()] = ports(m.destinationPorts());
        if (m.source().isPresent()) {
            dims[Dim.SOURCE.ordinal()] = address(m.source().get());
            if (dims[Dim.SOURCE.ordinal()].length == 0) return null;
        }
        if (m.destination().isPresent()) {
            dims[Dim.DESTINATION.ordinal()] = address(m.destination().get());
            if (dims[Dim.DESTINATION.ordinal()].length == 0) return null;
        }
        return dims;
    }

    private static ValueRange[] ports(List<PortRange> ports) {
        if (ports.isEmpty()) return null;
        var ranges = PortRange.normalize(ports).stream().map(p -> ValueRange.of(p.from(), p.to())).toList();
        return ranges.toArray(ValueRange[]::new);
    }

    private ValueRange[] address(AddressMatch a) {
        if (a.cidr().family() != family) throw new IllegalArgumentException("an address match of " + a.cidr().family().label()
                + " in a " + family.label() + " rule");
        List<Cidr> networks = a.set().map(s -> s.members()).orElse(List.of(a.cidr()));
        var ranges = ValueRange.joinAdjacent(networks.stream().map(Flattener::range).toList());
        if (a.negated()) {
            long[] max = Dim.SOURCE.max(family);
            ranges = ValueRange.complement(ranges, max[0], max[1]);
        }
        return ranges.toArray(ValueRange[]::new);
    }

    /** The first and last address of a network. */
    static ValueRange range(Cidr c) {
        if (c.family() == Family.V4) {
            long host = c.prefix() == 0 ? 0xFFFF_FFFFL : (1L << (32 - c.prefix())) - 1;
            return new ValueRange(0, c.lo(), 0, c.lo() | host);
        }
        int hostBits = 128 - c.prefix();
        if (hostBits >= 64) {
            long hiHost = hostBits == 128 ? -1L : hostBits == 64 ? 0 : (1L << (hostBits - 64)) - 1;
            return new ValueRange(c.hi(), 0, c.hi() | hiHost, -1L);
        }
        long loHost = hostBits == 0 ? 0 : (1L << hostBits) - 1;
        return new ValueRange(c.hi(), c.lo(), c.hi(), c.lo() | loHost);
    }
}
