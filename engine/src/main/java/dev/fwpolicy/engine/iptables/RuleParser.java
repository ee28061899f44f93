package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one printed rule spec (the text after {@code -A CHAIN}, as {@code iptables-save} and
 * {@link RuleRenderer} write it) back into the IR. The inverse of {@link RuleRenderer}, and
 * strict: every word must belong to a match fwpolicy models, each match at most once, each
 * option inside the module that owns it, so a rule that would filter differently from what
 * the IR says can never be read as the IR. Anything else throws {@link ReadBackException}:
 * for an owned rule that means "tampered" or "unknown", never "as desired".
 */
public final class RuleParser {
    private RuleParser() {}

    /** @param chain where the rule sits: decides whether {@code -i lo} or {@code -o lo} may appear */
    public static ParsedRule parse(Family family, String chain, String spec) {
        return parse(family, chain, spec, Map.of());
    }

    /**
     * As {@link #parse(Family, String, String)}, reading {@code -m set [!] --match-set NAME src|dst}
     * as a match of {@code sets.get(NAME)} (the kernel's own members of fwpolicy's set); a set
     * not in {@code sets} is not modelled.
     */
    public static ParsedRule parse(Family family, String chain, String spec, Map<String, NetworkSet> sets) {
        return new State(family, chain, spec, sets).run();
    }

    private static final class State {
        private final Family family;
        private final String chain;
        private final String spec;
        private final List<String> t;
        private int i;

        private Optional<Protocol> protocol = Optional.empty();
        private Optional<AddressMatch> source = Optional.empty(), destination = Optional.empty();
        private List<PortRange> sports = List.of(), dports = List.of();
        private Optional<Integer> icmpType = Optional.empty();
        private boolean established, loopback;
        /** {@code -m limit --limit 10/min}: only the audit log rule carries it, and only right before {@code -j LOG}. */
        private boolean auditLimit;
        private Optional<String> id;
        private Target target;
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        private final Map<String, NetworkSet> sets;

        State(Family family, String chain, String spec, Map<String, NetworkSet> sets) {
            this.sets = sets;
            this.family = family;
            this.chain = chain;
            this.spec = spec;
            try {
                this.t = SpecTokens.split(spec);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
            this.id = IdentityComment.idIn(spec);
        }

        ParsedRule run() {
            while (i < t.size()) {
                String opt = t.get(i++);
                boolean negated = opt.equals("!");
                if (negated) opt = next("an option after '!'");
                switch (opt) {
                    case "-s", "-d" -> address(opt, negated);
                    case "-i", "-o" -> {
                        notNegated(negated, opt);
                        once(opt.equals("-i") ? "-i/-o" : "-i/-o");
                        String dev = next("an interface");
                        if (!dev.equals("lo")) throw fail("interface " + dev + " is not modelled");
                        Optional<Direction> d = ChainNames.directionOf(chain);
                        if (d.isPresent() && !ChainNames.interfaceFlag(d.get()).equals(opt))
                            throw fail(opt + " cannot match in chain " + chain);
                        loopback = true;
                    }
                    case "-p" -> {
                        notNegated(negated, opt);
                        once("-p");
                        protocol = Optional.of(protocolNamed(next("a protocol")));
                    }
                    case "-m" -> {
                        notNegated(negated, opt);
                        module(next("a match module"));
                    }
                    case "-j" -> {
                        notNegated(negated, opt);
                        if (target != null) throw fail("a second target");
                        target(next("a target"));
                    }
                    default -> throw fail("option " + opt + " is not modelled");
                }
            }
            if (target == null) throw fail("a rule without a target is not a form fwpolicy writes");
            if (auditLimit && !(target instanceof Target.AuditLog)) throw fail("a rate limit on a rule that does not log");
            var match = new Match(protocol, source, destination, sports, dports, icmpType, established, loopback);
            return new ParsedRule(match, target, id);
        }

        private void address(String opt, boolean negated) {
            once(opt);
            String value = next("an address");
            var cidr = Cidr.parseStrict(value).orElseThrow(() -> fail("bad address " + value));
            if (cidr.family() != family) throw fail(value + " is not " + family.label());
            var m = new AddressMatch(cidr, negated);
            if (opt.equals("-s")) source = Optional.of(m);
            else destination = Optional.of(m);
        }

        /** One {@code -m NAME} and the options that belong to it, up to the next match or target. */
        private void module(String name) {
            switch (name) {
                case "limit" -> {
                    once("-m limit");
                    // The one rate fwpolicy writes; any other limit would count and log another set of packets.
                    if (!peek("--limit")) throw fail("-m limit without --limit");
                    i++;
                    String rate = next("a rate");
                    if (!rate.equals("10/min") || !peek("-j")) throw fail("limit " + rate + " is not a form fwpolicy writes");
                    auditLimit = true;
                }
                case "comment" -> {
                    // Comments do not change what a rule matches; several may appear (the identity is the first fwp1 one).
                    if (!peek("--comment")) throw fail("-m comment without --comment");
                    i++;
                    next("a comment");
                }
                case "tcp", "udp", "sctp" -> {
                    once("-m " + name);
                    Protocol p = protocolNamed(name);
                    if (protocol.isEmpty() || protocol.get() != p) throw fail("-m " + name + " without -p " + name);
                    // A bare "-m tcp" is how iptables prints --dport 0:65535: no constraint at all.
                    while (peek("--sport") || peek("--dport")) {
                        String o = t.get(i++);
                        List<PortRange> r = ports(next("a port"), false);
                        if (o.equals("--sport")) {
                            if (!sports.isEmpty()) throw fail("source ports given twice");
                            sports = r;
                        } else {
                            if (!dports.isEmpty()) throw fail("destination ports given twice");
                            dports = r;
                        }
                    }
                }
                case "multiport" -> {
                    if (protocol.isEmpty() || !protocol.get().hasPorts()) throw fail("-m multiport without a port protocol");
                    if (peek("--sports")) {
                        i++;
                        if (!sports.isEmpty()) throw fail("source ports given twice");
                        sports = ports(next("ports"), true);
                    } else if (peek("--dports")) {
                        i++;
                        if (!dports.isEmpty()) throw fail("destination ports given twice");
                        dports = ports(next("ports"), true);
                    } else {
                        throw fail("-m multiport without --sports or --dports is not a form fwpolicy writes");
                    }
                }
                case "icmp", "icmp6" -> {
                    once("-m icmp");
                    Protocol want = name.equals("icmp") ? Protocol.ICMP : Protocol.ICMPV6;
                    if (protocol.isEmpty() || protocol.get() != want) throw fail("-m " + name + " without -p " + IptablesText.protocol(want));
                    String opt = name.equals("icmp") ? "--icmp-type" : "--icmpv6-type";
                    if (!peek(opt)) throw fail("-m " + name + " without " + opt);
                    i++;
                    String v = next("an icmp type");
                    // "8/0" would be a type with a code, "any" the kernel's type 255: neither is modelled.
                    if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || v.length() > 3)
                        throw fail("icmp type " + v + " is not modelled");
                    int type = Integer.parseInt(v);
                    if (type > 255 || (want == Protocol.ICMP && type == 255)) throw fail("icmp type " + v + " is not modelled");
                    icmpType = Optional.of(type);
                }
                case "conntrack" -> {
                    once("-m conntrack");
                    if (!peek("--ctstate")) throw fail("-m conntrack without --ctstate is not a form fwpolicy writes");
                    i++;
                    String v = next("states");
                    if (!v.equals("RELATED,ESTABLISHED") && !v.equals("ESTABLISHED,RELATED"))
                        throw fail("conntrack state " + v + " is not a form fwpolicy writes");
                    established = true;
                }
                case "set" -> {
                    boolean negated = peek("!");
                    if (negated) i++;
                    if (!peek("--match-set")) throw fail("-m set without --match-set");
                    i++;
                    String setName = next("a set name");
                    String side = next("src or dst");
                    var set = sets.get(setName);
                    if (set == null) throw fail("set " + setName + " is not one of fwpolicy's hash:net sets in the kernel");
                    if (set.family() != family) throw fail("set " + setName + " is not " + family.label());
                    var m = AddressMatch.inSet(set, negated);
                    switch (side) {
                        case "src" -> {
                            if (source.isPresent()) throw fail("a second source match");
                            source = Optional.of(m);
                        }
                        case "dst" -> {
                            if (destination.isPresent()) throw fail("a second destination match");
                            destination = Optional.of(m);
                        }
                        default -> throw fail("set direction " + side + " is not a form fwpolicy writes");
                    }
                }
                default -> throw fail("match -m " + name + " is not modelled");
            }
        }

        private void target(String j) {
            switch (j) {
                case "ACCEPT" -> target = new Target.Accept();
                case "DROP" -> target = new Target.Drop();
                case "REJECT" -> {
                    // iptables-save always prints the type; fwpolicy writes only these two.
                    if (!peek("--reject-with")) throw fail("REJECT without --reject-with is not a form iptables-save prints");
                    i++;
                    String with = next("a reject type");
                    Target.Reject.How how = null;
                    for (var h : Target.Reject.How.values()) if (IptablesText.rejectWith(h, family).equals(with)) how = h;
                    if (how == null) throw fail("reject type " + with + " is not one fwpolicy writes in " + family.label());
                    target = new Target.Reject(how);
                }
                case "LOG" -> {
                    String prefix = "";
                    if (peek("--log-prefix")) {
                        i++;
                        prefix = next("a log prefix");
                    }
                    target = auditLimit ? new Target.AuditLog(prefix) : new Target.Log(prefix);
                }
                case "RETURN" -> target = new Target.Return();
                case "QUEUE", "NFQUEUE", "MARK", "CONNMARK", "CT", "TRACE" ->
                        throw fail("target " + j + " is not a form fwpolicy writes");
                default -> {
                    if (j.startsWith("-")) throw fail("target " + j + " is not modelled");
                    target = new Target.Jump(j);
                }
            }
        }

        private List<PortRange> ports(String text, boolean list) {
            var out = new ArrayList<PortRange>();
            for (String part : text.split(",", -1)) {
                try {
                    int colon = part.indexOf(':');
                    if (colon < 0) out.add(PortRange.of(Integer.parseInt(part)));
                    else out.add(new PortRange(Integer.parseInt(part.substring(0, colon)), Integer.parseInt(part.substring(colon + 1))));
                } catch (IllegalArgumentException e) {
                    throw fail("bad ports " + text);
                }
            }
            if (!list && out.size() != 1) throw fail("a port list outside multiport: " + text);
            return List.copyOf(out);
        }

        private Protocol protocolNamed(String p) {
            for (var pr : Protocol.values()) if (IptablesText.protocol(pr).equals(p)) return pr;
            return switch (p) {
                case "icmpv6", "58" -> Protocol.ICMPV6;
                case "6" -> Protocol.TCP;
                case "17" -> Protocol.UDP;
                case "132" -> Protocol.SCTP;
                case "1" -> Protocol.ICMP;
                default -> throw fail("protocol " + p + " is not modelled");
            };
        }

        private void once(String what) {
            if (!seen.add(what)) throw fail(what + " given twice");
        }

        private void notNegated(boolean negated, String opt) {
            if (negated) throw fail("negated " + opt + " is not a form fwpolicy writes");
        }

        private boolean peek(String word) {
            return i < t.size() && t.get(i).equals(word);
        }

        private String next(String what) {
            if (i >= t.size()) throw fail("expected " + what + " at the end");
            return t.get(i++);
        }

        private ReadBackException fail(String why) {
            return new ReadBackException(why + ": -A " + chain + " " + spec);
        }
    }
}
