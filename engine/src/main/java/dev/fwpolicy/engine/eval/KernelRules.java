package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.dataplane.SpecTokens;
import dev.fwpolicy.engine.ast.Direction;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ipset.KernelSet;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.MemberDiff;
import dev.fwpolicy.engine.ipset.SetShape;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleIdentity;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's view of fwpolicy's rules, rebuilt from {@code iptables-save} output so the
 * {@link Evaluator} can answer "what does the kernel do with this packet" with the same walk
 * it uses for the desired rule set. Only owned chains (FWP-…) and fwpolicy's hashed jumps in
 * INPUT/OUTPUT are read; foreign rules are not fwpolicy's to model.
 *
 * <p>Each kernel rule is parsed back into a {@link Match} and {@link Target} from the text the
 * kernel printed, not looked up by its hash: a rule edited in place with its comment kept
 * must evaluate as what it now is. Its origin is the desired rule's when the hash is known, so
 * answers still name the file and line; when the body differs, the origin text says the
 * kernel copy was tampered with and the difference is listed in {@link ReadBack#drift()}.
 *
 * <p>Only the forms the compiler emits are understood; anything else in an owned chain is a
 * {@link KernelParseException}, never silently ignored.
 */
public final class KernelRules {

    private KernelRules() {}

    /** One {@code -A} line: counters (zero unless saved with {@code -c}), chain and spec. */
    public record SaveLine(long packets, long bytes, String chain, String spec) {
        public Optional<String> id() {
            return RuleIdentity.idIn(spec);
        }
    }

    /** A rule parsed from the kernel's text. */
    public record ParsedRule(String chain, Match match, Target target, Optional<String> id, String spec) {}

    public enum DriftKind {
        CHANGED, UNKNOWN, MISSING, MISSING_MEMBER, EXTRA_MEMBER;

        /** As the drift vocabulary writes it: {@code missing-member}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A way the kernel's owned rules differ from the desired ones. */
    public record Drift(DriftKind kind, Family family, String chain, Optional<String> id, Optional<String> desired,
                        Optional<String> kernel) {
        @Override
        public String toString() {
            return kind + " " + family.label() + " " + chain + id.map(i -> " " + i).orElse("")
                    + desired.map(d -> "\n  policy: " + d).orElse("") + kernel.map(k -> "\n  kernel: " + k).orElse("");
        }
    }

    /** The kernel's rules as a rule set, and how they differ from the desired set. */
    public record ReadBack(RuleSet ruleSet, List<Drift> drift) {
        public ReadBack {
            drift = List.copyOf(drift);
        }
    }

    public static final class KernelParseException extends RuntimeException {
        public KernelParseException(String message) {
            super(message);
        }
    }

    /** The {@code -A} lines of an iptables-save dump's filter table, with counters if present. */
    public static List<SaveLine> saveLines(String saveOutput) {
        var out = new ArrayList<SaveLine>();
        boolean inFilter = false;
        for (String raw : saveOutput.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) inFilter = line.equals("*" + RuleSet.TABLE);
            if (!inFilter) continue;
            long packets = 0, bytes = 0;
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                String[] pb = line.substring(1, close).split(":");
                packets = Long.parseLong(pb[0]);
                bytes = Long.parseLong(pb[1]);
                line = line.substring(close + 1).strip();
            }
            if (!line.startsWith("-A ")) continue;
            int sp = line.indexOf(' ', 3);
            String chain = sp < 0 ? line.substring(3) : line.substring(3, sp);
            out.add(new SaveLine(packets, bytes, chain, sp < 0 ? "" : line.substring(sp + 1)));
        }
        return out;
    }

    /** Chain names declared in the filter table ({@code :NAME POLICY [p:b]}), in order. */
    public static List<String> chainNames(String saveOutput) {
        var out = new ArrayList<String>();
        boolean inFilter = false;
        for (String raw : saveOutput.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) inFilter = line.equals("*" + RuleSet.TABLE);
            if (inFilter && line.startsWith(":")) out.add(line.substring(1).split(" ")[0]);
        }
        return out;
    }

    /**
     * Rebuilds fwpolicy's part of the kernel from one iptables-save dump per family
     * ({@code iptables-save -t filter}, {@code ip6tables-save -t filter}).
     */
    public static ReadBack read(Map<Family, String> saveOutputs, RuleSet desired) {
        return read(saveOutputs, KernelSets.empty(), desired);
    }

    /**
     * As {@link #read(Map, RuleSet)}, with the kernel's sets ({@code ipset save}) so rules that
     * match a set evaluate against the members the kernel holds. A rule's identity does not
     * depend on members, so a set whose members differ is reported as member drift of the set,
     * not as a changed rule.
     */
    public static ReadBack read(Map<Family, String> saveOutputs, KernelSets kernelSets, RuleSet desired) {
        var setsByName = modelledSets(kernelSets, desired);
        var byId = desired.byId();
        var chains = new ArrayList<OwnedChain>();
        var jumps = new ArrayList<CompiledRule>();
        var drift = new ArrayList<Drift>();
        var seen = new java.util.HashSet<String>();
        for (var entry : saveOutputs.entrySet()) {
            Family family = entry.getKey();
            var perChain = new LinkedHashMap<String, List<CompiledRule>>();
            for (String name : chainNames(entry.getValue())) {
                if (RuleSet.isOwnedChain(name)) perChain.put(name, new ArrayList<>());
            }
            int unknown = 0;
            for (var line : saveLines(entry.getValue())) {
                boolean builtin = isBuiltin(line.chain());
                if (!builtin && !RuleSet.isOwnedChain(line.chain())) continue;
                if (builtin && line.id().isEmpty()) continue; // a foreign rule in INPUT/OUTPUT
                var parsed = parse(family, line.chain(), line.spec(), setsByName);
                CompiledRule want = parsed.id().map(byId::get).filter(r -> r.family() == family).orElse(null);
                RuleOrigin origin;
                String id;
                if (want != null && want.chain().equals(parsed.chain())) {
                    id = want.id();
                    seen.add(family + "/" + id);
                    boolean same = sameIgnoringMembers(want.match(), parsed.match()) && want.target().equals(parsed.target());
                    if (same) {
                        origin = want.origin();
                    } else {
                        origin = new RuleOrigin(want.origin().kind(), want.origin().policy(), want.origin().span(),
                                "[kernel copy differs from policy] " + want.origin().text(), want.origin().note());
                        drift.add(new Drift(DriftKind.CHANGED, family, line.chain(), Optional.of(id),
                                Optional.of(want.spec()), Optional.of(line.spec())));
                    }
                } else {
                    // Also a hashed jump of another policy revision in INPUT/OUTPUT: netfilter
                    // still follows it, so the model must too.
                    id = parsed.id().orElse("kernel-" + line.chain() + "-" + (++unknown));
                    origin = RuleOrigin.implicit(RuleOrigin.Kind.RULE, "[not in policy] -A " + line.chain() + " " + line.spec());
                    drift.add(new Drift(DriftKind.UNKNOWN, family, line.chain(), parsed.id(), Optional.empty(),
                            Optional.of(line.spec())));
                }
                var rule = new CompiledRule(id, family, line.chain(), parsed.match(), parsed.target(), line.spec(), origin);
                if (builtin) jumps.add(rule);
                else perChain.get(line.chain()).add(rule);
            }
            perChain.forEach((name, rules) -> chains.add(new OwnedChain(family, name, rules)));
        }
        desired.allRules().forEach(r -> {
            if (saveOutputs.containsKey(r.family()) && !seen.contains(r.family() + "/" + r.id())) {
                drift.add(new Drift(DriftKind.MISSING, r.family(), r.chain(), Optional.of(r.id()), Optional.of(r.spec()),
                        Optional.empty()));
            }
        });
        setDrift(saveOutputs.keySet(), kernelSets, desired, drift);
        // Jumps to chains the dump does not declare cannot exist in a real kernel; a
        // truncated dump would make the evaluator fail, so say so here.
        for (var j : jumps) {
            if (j.target() instanceof Target.Jump t && chains.stream().noneMatch(c -> c.family() == j.family() && c.name().equals(t.chain())))
                throw new KernelParseException("jump to undeclared chain " + t.chain() + " in " + j.saveLine());
        }
        return new ReadBack(new RuleSet(chains, jumps, "kernel"), drift);
    }

    /** The kernel's fwpolicy sets as the evaluator models them, named after the policy's set when it has one. */
    public static Map<String, NetworkSet> modelledSets(KernelSets kernelSets, RuleSet desired) {
        var out = new java.util.HashMap<String, NetworkSet>();
        kernelSets.owned().forEach((name, set) -> {
            var family = set.shape().addressFamily();
            if (family.isEmpty() || !set.shape().type().equals(SetShape.HASH_NET) || !set.shape().otherOptions().isEmpty()) return;
            var want = desired.sets().stream().filter(d -> d.name().equals(name)).findFirst();
            out.put(name, new NetworkSet(name, want.map(NetworkSet::policy).orElse("?"), want.map(NetworkSet::set).orElse(name),
                    family.get(), set.members()));
        });
        return out;
    }

    /** Desired sets the kernel lacks, or whose members differ: one entry per set and kind, with a few members named. */
    private static void setDrift(java.util.Set<Family> families, KernelSets kernelSets, RuleSet desired, List<Drift> drift) {
        for (var want : desired.sets()) {
            if (!families.contains(want.family())) continue;
            var have = kernelSets.get(want.name());
            if (have.isEmpty()) {
                drift.add(new Drift(DriftKind.MISSING, want.family(), want.name(), Optional.empty(),
                        Optional.of("set $" + want.set() + " with " + want.members().size() + " member(s)"), Optional.empty()));
                continue;
            }
            var diff = MemberDiff.between(KernelSet.desired(want.name(), want.family(), want.members(), SetShape.DEFAULT_MAX_ELEMENTS), have.get());
            if (!diff.missing().isEmpty()) {
                drift.add(new Drift(DriftKind.MISSING_MEMBER, want.family(), want.name(), Optional.empty(), Optional.of(few(diff.missing())),
                        Optional.empty()));
            }
            if (!diff.extra().isEmpty()) {
                drift.add(new Drift(DriftKind.EXTRA_MEMBER, want.family(), want.name(), Optional.empty(), Optional.empty(),
                        Optional.of(few(diff.extra()))));
            }
        }
    }

    private static String few(List<Cidr> members) {
        String shown = members.stream().limit(5).map(Cidr::source).collect(java.util.stream.Collectors.joining(", "));
        return members.size() + " member(s): " + shown + (members.size() > 5 ? ", …" : "");
    }

    /** Equal, except that two matches of the same kernel set count as equal whatever members each saw. */
    private static boolean sameIgnoringMembers(Match a, Match b) {
        return a.equals(b) || (sameAddress(a.source(), b.source()) && sameAddress(a.destination(), b.destination())
                && a.protocol().equals(b.protocol()) && a.sourcePorts().equals(b.sourcePorts())
                && a.destinationPorts().equals(b.destinationPorts()) && a.icmpType().equals(b.icmpType())
                && a.established() == b.established() && a.loopbackInterface() == b.loopbackInterface());
    }

    private static boolean sameAddress(Optional<AddressMatch> a, Optional<AddressMatch> b) {
        if (a.isPresent() && b.isPresent() && a.get().set().isPresent() && b.get().set().isPresent()) {
            return a.get().negated() == b.get().negated() && a.get().set().get().name().equals(b.get().set().get().name());
        }
        return a.equals(b);
    }

    private static boolean isBuiltin(String chain) {
        for (var d : Direction.values()) if (d.builtinChain().equals(chain)) return true;
        return false;
    }

    /** Parses one rule spec (the text after {@code -A CHAIN}) in the forms the compiler emits. */
    public static ParsedRule parse(Family family, String chain, String spec) {
        return parse(family, chain, spec, Map.of());
    }

    /** As {@link #parse(Family, String, String)}, resolving {@code --match-set NAME} in {@code sets}. */
    public static ParsedRule parse(Family family, String chain, String spec, Map<String, NetworkSet> sets) {
        var t = tokenize(spec);
        Optional<Protocol> protocol = Optional.empty();
        Optional<AddressMatch> source = Optional.empty(), destination = Optional.empty();
        List<PortRange> sports = List.of(), dports = List.of();
        Optional<Integer> icmpType = Optional.empty();
        boolean established = false, loopback = false;
        Optional<String> id = Optional.empty();
        Target target = null;
        int i = 0;
        while (i < t.size()) {
            boolean negated = false;
            String opt = t.get(i++);
            if (opt.equals("!")) {
                negated = true;
                opt = need(t, i++, spec, "an option after '!'");
            }
            if (negated && !opt.equals("-s") && !opt.equals("-d") && !opt.equals("--match-set"))
                throw new KernelParseException("negated " + opt + " is not a form fwpolicy writes: " + spec);
            switch (opt) {
                case "-s", "-d" -> {
                    String value = need(t, i++, spec, "an address");
                    var cidr = Cidr.parseStrict(value)
                            .orElseThrow(() -> new KernelParseException("bad address " + value + " in " + spec));
                    if (cidr.family() != family)
                        throw new KernelParseException(value + " is not " + family.label() + " in " + spec);
                    var m = new AddressMatch(cidr, negated);
                    if (opt.equals("-s")) source = Optional.of(m);
                    else destination = Optional.of(m);
                }
                case "--match-set" -> {
                    String name = need(t, i++, spec, "a set name");
                    String side = need(t, i++, spec, "src or dst");
                    var set = sets.get(name);
                    if (set == null) {
                        throw new KernelParseException("set " + name + " is not an fwpolicy hash:net set in the kernel's ipset save: " + spec);
                    }
                    if (set.family() != family) throw new KernelParseException("set " + name + " is not " + family.label() + ": " + spec);
                    var m = AddressMatch.inSet(set, negated);
                    switch (side) {
                        case "src" -> source = Optional.of(m);
                        case "dst" -> destination = Optional.of(m);
                        default -> throw new KernelParseException("set direction " + side + " is not a form fwpolicy writes: " + spec);
                    }
                }
                case "-i", "-o" -> {
                    String dev = need(t, i++, spec, "an interface");
                    if (!dev.equals("lo")) throw new KernelParseException("interface " + dev + " is not modelled: " + spec);
                    String expected = chainSide(chain);
                    if (expected != null && !expected.equals(opt))
                        throw new KernelParseException(opt + " in an " + chain + " chain is not a form fwpolicy writes: " + spec);
                    loopback = true;
                }
                case "-p" -> {
                    String p = need(t, i++, spec, "a protocol");
                    protocol = Optional.of(protocolNamed(p, spec));
                }
                case "-m" -> {
                    String module = need(t, i++, spec, "a match module");
                    switch (module) {
                        case "tcp", "udp", "sctp", "multiport", "icmp", "icmp6", "conntrack", "comment", "set" -> { }
                        default -> throw new KernelParseException("match -m " + module + " is not modelled: " + spec);
                    }
                }
                case "--sport", "--sports", "--source-port", "--source-ports" -> sports = ports(need(t, i++, spec, "ports"), spec);
                case "--dport", "--dports", "--destination-port", "--destination-ports" -> dports = ports(need(t, i++, spec, "ports"), spec);
                case "--icmp-type", "--icmpv6-type" -> {
                    String v = need(t, i++, spec, "an icmp type");
                    int slash = v.indexOf('/');
                    String type = slash < 0 ? v : v.substring(0, slash);
                    if (!type.chars().allMatch(Character::isDigit) || type.isEmpty())
                        throw new KernelParseException("icmp type " + v + " is not numeric: " + spec);
                    icmpType = Optional.of(Integer.parseInt(type));
                }
                case "--ctstate" -> {
                    String v = need(t, i++, spec, "states");
                    if (!v.equals("RELATED,ESTABLISHED") && !v.equals("ESTABLISHED,RELATED"))
                        throw new KernelParseException("conntrack state " + v + " is not a form fwpolicy writes: " + spec);
                    established = true;
                }
                case "--comment" -> id = RuleIdentity.idIn("--comment \"" + need(t, i++, spec, "a comment"));
                case "-j" -> {
                    String j = need(t, i++, spec, "a target");
                    switch (j) {
                        case "ACCEPT" -> target = new Target.Accept();
                        case "DROP" -> target = new Target.Drop();
                        case "REJECT" -> {
                            String with = "icmp-port-unreachable";
                            if (i < t.size() && t.get(i).equals("--reject-with")) {
                                with = need(t, i + 1, spec, "a reject type");
                                i += 2;
                            }
                            target = new Target.Reject(with);
                        }
                        case "LOG" -> {
                            String prefix = "";
                            while (i < t.size() && t.get(i).startsWith("--log-")) {
                                String o = t.get(i);
                                String v = need(t, i + 1, spec, "a value for " + o);
                                if (o.equals("--log-prefix")) prefix = v;
                                i += 2;
                            }
                            target = new Target.Log(prefix);
                        }
                        case "RETURN", "QUEUE", "NFQUEUE", "MARK", "CONNMARK" ->
                                throw new KernelParseException("target " + j + " is not a form fwpolicy writes: " + spec);
                        default -> target = new Target.Jump(j);
                    }
                }
                default -> throw new KernelParseException("option " + opt + " is not modelled: " + spec);
            }
        }
        if (target == null) {
            // No -j: the rule only counts packets; netfilter goes on to the next rule, like LOG.
            throw new KernelParseException("rule without a target is not a form fwpolicy writes: " + spec);
        }
        var match = new Match(protocol, source, destination, sports, dports, icmpType, established, loopback);
        return new ParsedRule(chain, match, target, id, spec);
    }

    /** Which interface flag a chain's packets can carry, or null when the chain name does not say. */
    private static String chainSide(String chain) {
        if (chain.equals("INPUT") || chain.startsWith("FWP-INPUT") || chain.startsWith("FWP-I-")) return "-i";
        if (chain.equals("OUTPUT") || chain.startsWith("FWP-OUTPUT") || chain.startsWith("FWP-O-")) return "-o";
        return null;
    }

    private static Protocol protocolNamed(String p, String spec) {
        for (var pr : Protocol.values()) if (pr.iptablesName().equals(p)) return pr;
        return switch (p) {
            case "icmpv6", "58" -> Protocol.ICMPV6;
            case "6" -> Protocol.TCP;
            case "17" -> Protocol.UDP;
            case "132" -> Protocol.SCTP;
            case "1" -> Protocol.ICMP;
            default -> throw new KernelParseException("protocol " + p + " is not modelled: " + spec);
        };
    }

    private static List<PortRange> ports(String text, String spec) {
        var out = new ArrayList<PortRange>();
        for (String part : text.split(",")) {
            try {
                int colon = part.indexOf(':');
                if (colon < 0) out.add(PortRange.of(Integer.parseInt(part)));
                else out.add(new PortRange(Integer.parseInt(part.substring(0, colon)), Integer.parseInt(part.substring(colon + 1))));
            } catch (IllegalArgumentException e) {
                throw new KernelParseException("bad ports " + text + " in " + spec);
            }
        }
        return List.copyOf(out);
    }

    private static String need(List<String> t, int i, String spec, String what) {
        if (i >= t.size()) throw new KernelParseException("expected " + what + " at the end of: " + spec);
        return t.get(i);
    }
    static List<String> tokenize(String spec) {
        try {
            return SpecTokens.split(spec);
        } catch (IllegalArgumentException e) {
            throw new KernelParseException(e.getMessage());
        }
    }
}
