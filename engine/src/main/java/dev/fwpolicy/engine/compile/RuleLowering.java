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
    private final int maxRules;
    private int built;

    /** With the default kernel set threshold and size. */
    RuleLowering(Diagnostics diagnostics, PolicyScope sets, int maxRules, int alreadyBuilt) {
        this(diagnostics, sets, maxRules, alreadyBuilt, new KernelSetChoice(dev.fwpolicy.engine.parser.Limits.DEFAULT_KERNEL_SET_THRESHOLD,
                dev.fwpolicy.engine.parser.Limits.DEFAULT_MAX_SET_MEMBERS, diagnostics, dev.fwpolicy.engine.cluster.ClusterInput.NONE));
    }

    /** {@code maxRules}: how many iptables rules all lowered rules together may become. */
    RuleLowering(Diagnostics diagnostics, PolicyScope sets, int maxRules, int alreadyBuilt, KernelSetChoice kernelSets) {
        this.diagnostics = diagnostics;
        this.sets = sets;
        this.maxRules = maxRules;
        this.built = alreadyBuilt;
        this.kernelSets = kernelSets;
    }

    /** True once a rule was refused for passing the rule limit: lowering more is pointless. */
    boolean limitReached() {
        return built > maxRules;
    }

    List<LoweredRule> lower(PolicyDecl policy, Direction direction, RuleDecl rule) {
        var out = lowerWithinLimit(policy, direction, rule);
        built += out.size();
        return out;
    }

    private List<LoweredRule> lowerWithinLimit(PolicyDecl policy, Direction direction, RuleDecl rule) {
        if (rule instanceof EstablishedRule e) {
            if (!fits(rule, Family.values().length, () -> "one per address family")) return List.of();
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

        // Every factor of the cross product is known before any rule is built: a rule crossing
        // two 3,000-address sets is refused in microseconds instead of building 9 million.
        var matches = new java.util.EnumMap<Family, List<List<Optional<AddressMatch>>>>(Family.class);
        var sportGroups = PortGroups.split(sports);
        var dportGroups = PortGroups.split(dports);
        long expanded = 0;
        for (var f : families) {
            var srcMatches = addressMatches(src, f, rule.source().map(Source::addresses), policy);
            var dstMatches = addressMatches(dst, f, dstAddrs, policy);
            if (srcMatches == null || dstMatches == null) return List.of();
            matches.put(f, List.of(srcMatches, dstMatches));
            expanded += (long) srcMatches.size() * dstMatches.size() * sportGroups.size() * dportGroups.size();
        }
        if (!fits(rule, expanded, () -> factors(matches, sportGroups.size(), dportGroups.size()))) return List.of();
        var out = new ArrayList<LoweredRule>();
        for (var f : matches.keySet()) {
            var srcMatches = matches.get(f).get(0);
            var dstMatches = matches.get(f).get(1);
            var target = Targets.of(rule.action(), protocol, f, policy.name().text());
            for (var s : srcMatches) {
                for (var d : dstMatches) {
                    for (var sg : sportGroups) {
                        for (var dg : dportGroups) {
                            var m = new Match(protocol, s, d, sg, dg, icmpType, false, false);
                            out.add(new LoweredRule(policy, direction, rule, f, m, target));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code expanded} more rules stay within the limit; reports the rule when not.
     * The factors are described only then: formatting them for every rule was a tenth of a
     * 40,000-rule compile.
     */
    private boolean fits(RuleDecl rule, long expanded, java.util.function.Supplier<String> factors) {
        if (built + expanded <= maxRules) return true;
        diagnostics.error("limit-exceeded", rule.span(), String.format(java.util.Locale.ROOT,
                "the policies expand to more than %,d iptables rules: this rule alone makes %,d (%s)",
                maxRules, expanded, factors.get()));
        built = maxRules + 1;
        return false;
    }

    private static String factors(java.util.Map<Family, List<List<Optional<AddressMatch>>>> matches, int sportGroups, int dportGroups) {
        var out = new ArrayList<String>();
        matches.forEach((f, m) -> out.add(String.format(java.util.Locale.ROOT,
                "%,d source(s) x %,d destination(s) x %,d x %,d port group(s) in %s",
                m.get(0).size(), m.get(1).size(), sportGroups, dportGroups, f == Family.V4 ? "IPv4" : "IPv6")));
        return String.join(", ", out);
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
        // Pods have addresses of either family or both, and that changes as they come and go.
        if (a.negated() || a.isDynamic()) return EnumSet.allOf(Family.class);
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
        var kernelSet = written.flatMap(w -> kernelSets.choose(policy, w, f, addrs.get()));
        if (kernelSet.isPresent()) return List.of(Optional.of(AddressMatch.inSet(kernelSet.get(), addrs.get().negated())));
        // A dynamic set that is not a kernel set here was reported (written in a list, or no
        // members to take), unless it holds every address: then no address match is right.
        if (addrs.get().isDynamic() && cidrs.stream().noneMatch(Cidr::isAll)) return null;
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
