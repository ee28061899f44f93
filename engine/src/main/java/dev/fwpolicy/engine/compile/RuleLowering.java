package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.vocabulary.Direction;

import dev.fwpolicy.engine.ast.*;
import dev.fwpolicy.engine.check.ResolvedAddresses;
import dev.fwpolicy.engine.check.NameSuggester;
import dev.fwpolicy.engine.check.PolicyScope;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.Span;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one written rule into iptables rules: one per family it can match, per source and
 * destination network, per multiport group. Checks what only makes sense together
 * (ports need a port protocol, ICMP types need ICMP, families must meet).
 */
final class RuleLowering {
    private final Diagnostics diagnostics;
    private final PolicyScope sets;
    private final KernelSetChoice kernelSets;

    RuleLowering(Diagnostics diagnostics, PolicyScope sets, KernelSetChoice kernelSets) {
        this.diagnostics = diagnostics;
        this.sets = sets;
        this.kernelSets = kernelSets;
    }

    List<LoweredRule> lower(PolicyDecl policy, Direction direction, RuleDecl rule) {
        if (rule instanceof EstablishedRule e) {
            var out = new ArrayList<LoweredRule>();
            for (var f : Family.values()) {
                var m = new Match(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                        Optional.empty(), true, false);
                out.add(new LoweredRule(policy, direction, rule, f, m, Targets.of(e.action(), Optional.empty(), f, policy.name().text())));
            }
            return out;
        }
        return lowerMatch(policy, direction, (MatchRule) rule);
    }

    private List<LoweredRule> lowerMatch(PolicyDecl policy, Direction direction, MatchRule rule) {
        boolean ok = true;
        Optional<Protocol> protocol = rule.protocol().map(ProtocolRef::protocol);

        Optional<ResolvedAddresses> src = Optional.empty();
        if (rule.source().isPresent()) {
            src = sets.addresses(rule.source().get().addresses());
            ok &= src.isPresent();
        }
        Optional<ResolvedAddresses> dst = Optional.empty();
        var dstAddrs = rule.destination().flatMap(Destination::addresses);
        if (dstAddrs.isPresent()) {
            dst = sets.addresses(dstAddrs.get());
            ok &= dst.isPresent();
        }
        var sportsSet = rule.source().flatMap(Source::ports);
        var dportsSet = rule.destination().flatMap(Destination::ports);
        List<PortRange> sports = List.of();
        List<PortRange> dports = List.of();
        for (var portSet : List.of(sportsSet, dportsSet)) {
            if (portSet.isEmpty()) continue;
            if (protocol.isEmpty() || !protocol.get().hasPorts()) {
                diagnostics.error("port-without-protocol", portSet.get().span(),
                        "ports need a protocol that has them: write 'tcp', 'udp' or 'sctp' after '" + rule.action().keyword() + "'");
                ok = false;
                continue;
            }
            var ranges = sets.ports(portSet.get())
                    // Every port is no constraint: iptables would print 0:65535 as a bare "-m tcp",
                    // so the rule is kept in the form the kernel prints back (no port match).
                    .map(r -> r.size() == 1 && r.get(0).from() == 0 && r.get(0).to() == PortRange.MAX ? List.<PortRange>of() : r);
            if (ranges.isEmpty()) {
                ok = false;
            } else if (portSet == sportsSet) {
                sports = ranges.get();
            } else {
                dports = ranges.get();
            }
        }
        Optional<Integer> icmpType = Optional.empty();
        if (rule.icmpType().isPresent()) {
            icmpType = icmpType(protocol, rule.icmpType().get());
            ok &= icmpType.isPresent();
        }
        if (!ok) return List.of();

        Set<Family> families = EnumSet.allOf(Family.class);
        protocol.ifPresent(p -> families.retainAll(p.families()));
        src.ifPresent(s -> families.retainAll(familiesOf(s)));
        dst.ifPresent(d -> families.retainAll(familiesOf(d)));
        if (families.isEmpty()) {
            diagnostics.error("family-mismatch", rule.span(), familyMismatch(protocol, src, dst));
            return List.of();
        }

        var out = new ArrayList<LoweredRule>();
        for (var f : families) {
            var srcMatches = addressMatches(src, f, rule.source().map(Source::addresses), policy);
            var dstMatches = addressMatches(dst, f, dstAddrs, policy);
            if (srcMatches == null || dstMatches == null) return List.of();
            var target = Targets.of(rule.action(), protocol, f, policy.name().text());
            for (var s : srcMatches) {
                for (var d : dstMatches) {
                    for (var sg : PortGroups.split(sports)) {
                        for (var dg : PortGroups.split(dports)) {
                            var m = new Match(protocol, s, d, sg, dg, icmpType, false, false);
                            out.add(new LoweredRule(policy, direction, rule, f, m, target));
                        }
                    }
                }
            }
        }
        return out;
    }

    private Optional<Integer> icmpType(Optional<Protocol> protocol, IcmpTypeRef ref) {
        if (protocol.isEmpty() || !protocol.get().isIcmp()) {
            diagnostics.error("icmp-type-without-icmp", ref.span(), "'type' needs the protocol 'icmp' (IPv4) or 'icmpv6' (IPv6)");
            return Optional.empty();
        }
        var type = IcmpTypes.lookup(protocol.get(), ref.text());
        if (type.isPresent() && type.get() == 255 && protocol.get() == Protocol.ICMP) {
            // The IPv4 icmp match treats type 255 as "any type" (iptables prints it back as "any"):
            // compiled as written it would accept every ICMP packet while the rule says one type.
            diagnostics.error("icmp-type-any", ref.span(), "IPv4 ICMP type 255 means every ICMP type to the kernel;"
                    + " to match all ICMP, leave out 'type'");
            return Optional.empty();
        }
        if (type.isEmpty()) {
            diagnostics.error("invalid-icmp-type", ref.span(), "'" + ref.text() + "' is not an " + protocol.get().keyword()
                    + " type (a name or 0-255)" + NameSuggester.hint(ref.text(), IcmpTypes.names(protocol.get()).keySet()));
        }
        return type;
    }

    private static Set<Family> familiesOf(ResolvedAddresses a) {
        if (a.negated()) return EnumSet.allOf(Family.class);
        var set = EnumSet.noneOf(Family.class);
        a.cidrs().forEach(c -> set.add(c.family()));
        return set;
    }

    /**
     * The {@code -s}/{@code -d} matches of one family: none (any address), one per network,
     * or one negated network. Null when the negation cannot be written as one match.
     */
    private List<Optional<AddressMatch>> addressMatches(Optional<ResolvedAddresses> addrs, Family f, Optional<Addresses> written,
                                                        PolicyDecl policy) {
        if (addrs.isEmpty()) return List.of(Optional.empty());
        var span = written.map(Addresses::span);
        var cidrs = addrs.get().of(f);
        var kernelSet = written.flatMap(w -> kernelSets.choose(policy, w, f, cidrs, addrs.get().negated()));
        if (kernelSet.isPresent()) return List.of(Optional.of(AddressMatch.inSet(kernelSet.get(), addrs.get().negated())));
        if (!addrs.get().negated()) {
            if (cidrs.size() == 1 && cidrs.get(0).isAll()) return List.of(Optional.empty());
            return cidrs.stream().map(c -> Optional.of(new AddressMatch(c, false))).toList();
        }
        if (cidrs.isEmpty()) return List.of(Optional.empty());
        if (cidrs.size() == 1 && cidrs.get(0).isAll()) return List.of(); // 'not any' matches nothing
        if (cidrs.size() == 1) return List.of(Optional.of(new AddressMatch(cidrs.get(0), true)));
        diagnostics.error("negation-too-wide", span.orElse(Span.NONE), "'not' takes one network per address family here, but "
                + cidrs.size() + " " + (f == Family.V4 ? "IPv4" : "IPv6") + " networks remain after merging ("
                + cidrs.stream().map(Cidr::source).reduce((a, b) -> a + ", " + b).orElse("")
                + "); declare them as a set and write 'not $name' to match them as one kernel set");
        return null;
    }

    private static String familyMismatch(Optional<Protocol> protocol, Optional<ResolvedAddresses> src, Optional<ResolvedAddresses> dst) {
        var parts = new ArrayList<String>();
        protocol.filter(p -> p.families().size() == 1).ifPresent(p ->
                parts.add("'" + p.keyword() + "' is " + label(p.families()) + " only"));
        src.filter(s -> !s.negated()).ifPresent(s -> parts.add("'from' has only " + label(familiesOf(s)) + " addresses"));
        dst.filter(d -> !d.negated()).ifPresent(d -> parts.add("'to' has only " + label(familiesOf(d)) + " addresses"));
        return "this rule can match no packet: " + String.join(", but ", parts)
                + (protocol.filter(Protocol::isIcmp).isPresent() ? " (use 'icmp' for IPv4, 'icmpv6' for IPv6)" : "");
    }

    private static String label(Set<Family> families) {
        return families.size() == 1 && families.contains(Family.V4) ? "IPv4" : families.size() == 1 ? "IPv6" : "IPv4 and IPv6";
    }
}
