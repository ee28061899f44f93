package dev.fwpolicy.engine.eval;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.iptables.ChainNames;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Walks a rule set the way netfilter walks the filter table for one packet: the built-in
 * chain (INPUT or OUTPUT) from the top, into a chain on a matching jump, back to the caller
 * when a chain runs out (RETURN), on past LOG rules, stopping at the first ACCEPT, DROP or
 * REJECT; if the built-in chain runs out, its policy decides.
 *
 * <p>The rule set may be the compiled (desired) one or the kernel's read-back (see
 * {@link KernelModel}); both are plain {@link RuleSet}s, so one walk serves both.
 *
 * <p>Everything a match needs is flattened at construction into primitive arrays, per
 * family, so {@link #decide} allocates nothing per rule; rules that cannot match a
 * protocol are skipped through per-chain candidate lists. Immutable and thread-safe.
 */
public final class Evaluator {
    private static final int ACCEPT = 0, DROP = 1, REJECT = 2, LOG = 3, JUMP = 4, RETURN = 5;
    /** Netfilter itself refuses deeper nesting loops; this only guards a malformed read-back. */
    private static final int MAX_DEPTH = 64;
    /** Protocol codes: ordinal of {@link Protocol}, or UNKNOWN for a flow that did not say. */
    private static final int PROTOCOLS = Protocol.values().length;
    private static final int UNKNOWN_PROTOCOL = PROTOCOLS;
    /** Below this many rules a chain is scanned; an index would not pay for its lookups. */
    static final int INDEX_MIN_RULES = 16;

    private final RuleSet ruleSet;
    private final Program v4;
    private final Program v6;

    /** The verdict when a packet falls off the end of its built-in chain. */
    @FunctionalInterface
    public interface BuiltinPolicy {
        Verdict of(Family family, Direction direction);

        /** A compiled rule set never falls through (the entry chains end with the default rule). */
        BuiltinPolicy ACCEPT = (f, d) -> Verdict.ALLOW;
    }

    public Evaluator(RuleSet ruleSet) {
        this(ruleSet, BuiltinPolicy.ACCEPT);
    }

    /** Over a read-back, {@code policies} are the built-in chains' real policies ({@code iptables -P INPUT DROP}). */
    public Evaluator(RuleSet ruleSet, BuiltinPolicy policies) {
        this.ruleSet = ruleSet;
        this.v4 = new Program(ruleSet, Family.V4, policies);
        this.v6 = new Program(ruleSet, Family.V6, policies);
    }

    public RuleSet ruleSet() {
        return ruleSet;
    }

    /** Verdict and deciding rule only: the fast path for query APIs and batches. */
    public Decision decide(Flow flow) {
        var p = program(flow);
        var audit = new ArrayList<CompiledRule>(0);
        int i = p.walk(new Probe(flow), null, audit);
        return p.decision(flow, i, List.of(), audit);
    }

    /** Verdict, deciding rule and the trace of every rule consulted, with why each did not match. */
    public Decision evaluate(Flow flow) {
        var p = program(flow);
        var trace = new ArrayList<Step>();
        var audit = new ArrayList<CompiledRule>(0);
        int i = p.walk(new Probe(flow), trace, audit);
        return p.decision(flow, i, trace, audit);
    }

    private Program program(Flow flow) {
        return flow.family() == Family.V4 ? v4 : v6;
    }

    /** The flow's fields as primitives, read once per query. */
    private static final class Probe {
        final Flow flow;
        final int direction;
        final int protocol;
        final boolean hasSource, hasDestination;
        final long srcHi, srcLo, dstHi, dstLo;
        final int sport, dport, icmp;
        final boolean established, loopback;

        Probe(Flow f) {
            flow = f;
            direction = f.direction().ordinal();
            protocol = f.protocol().map(Enum::ordinal).orElse(UNKNOWN_PROTOCOL);
            hasSource = f.source().isPresent();
            hasDestination = f.destination().isPresent();
            Address s = f.source().orElse(null), d = f.destination().orElse(null);
            srcHi = s == null ? 0 : s.hi();
            srcLo = s == null ? 0 : s.lo();
            dstHi = d == null ? 0 : d.hi();
            dstLo = d == null ? 0 : d.lo();
            sport = f.sourcePort().orElse(-1);
            dport = f.destinationPort().orElse(-1);
            icmp = f.icmpType().orElse(-1);
            established = f.state() == ConnState.ESTABLISHED;
            loopback = f.loopback();
        }
    }

    /** One family's chains, flattened. Rule index r refers to every array below. */
    private static final class Program {
        final Family family;
        final CompiledRule[] rules;
        // Match fields. addrKind: 0 = any, 1 = in CIDR, 2 = not in CIDR.
        final int[] proto;
        /** 0 any address, 1 in the network, 2 outside it, 3 in the kernel set, 4 outside it. */
        final byte[] srcKind, dstKind;
        /** The kernel set of kinds 3 and 4 (null otherwise: a hot array, not an API). */
        final NetworkSet[] srcSet, dstSet;
        final long[] srcNetHi, srcNetLo, srcMaskHi, srcMaskLo, dstNetHi, dstNetLo, dstMaskHi, dstMaskLo;
        final int[][] sports, dports; // null = any; else [from0, to0, from1, to1, ...]
        final int[] icmp; // -1 = any
        final boolean[] established, loopback;
        // Target.
        final int[] action;
        final int[] jumpChain;
        // Chains: candidates[chain][protocolCode] = rule indices, in chain order, that do not
        // rule that protocol out. The built-in chains are chain 0 (INPUT) and 1 (OUTPUT).
        final int[][][] candidates;
        final String[] chainNames;
        final int[][] everyRule;
        // indexes[chain][protocolCode][field]: field 0 = destination port, 1 = source, 2 = destination.
        final IntervalIndex[][][] indexes;

        final Verdict[] policy; // by Direction ordinal

        Program(RuleSet rs, Family family, BuiltinPolicy policies) {
            this.family = family;
            this.policy = new Verdict[Direction.values().length];
            for (var d : Direction.values()) policy[d.ordinal()] = policies.of(family, d);
            var chainIndex = new HashMap<String, Integer>();
            var chainRules = new ArrayList<List<CompiledRule>>();
            var names = new ArrayList<String>();
            for (var d : Direction.values()) {
                chainIndex.put(ChainNames.builtin(d), names.size());
                names.add(ChainNames.builtin(d));
                chainRules.add(rs.jumps(family).stream().filter(j -> j.chain().equals(ChainNames.builtin(d))).toList());
            }
            for (var c : rs.chains(family)) {
                if (chainIndex.containsKey(c.name()))
                    throw new IllegalArgumentException("chain " + c.name() + " appears twice for " + family.label());
                chainIndex.put(c.name(), names.size());
                names.add(c.name());
                chainRules.add(c.rules());
            }
            chainNames = names.toArray(String[]::new);
            var all = new ArrayList<CompiledRule>();
            chainRules.forEach(all::addAll);
            int n = all.size();
            rules = all.toArray(CompiledRule[]::new);
            proto = new int[n];
            srcKind = new byte[n];
            dstKind = new byte[n];
            srcSet = new NetworkSet[n];
            dstSet = new NetworkSet[n];
            srcNetHi = new long[n]; srcNetLo = new long[n]; srcMaskHi = new long[n]; srcMaskLo = new long[n];
            dstNetHi = new long[n]; dstNetLo = new long[n]; dstMaskHi = new long[n]; dstMaskLo = new long[n];
            sports = new int[n][];
            dports = new int[n][];
            icmp = new int[n];
            established = new boolean[n];
            loopback = new boolean[n];
            action = new int[n];
            jumpChain = new int[n];
            for (int r = 0; r < n; r++) {
                var rule = rules[r];
                Match m = rule.match();
                proto[r] = m.protocol().map(Enum::ordinal).orElse(-1);
                if (m.source().isPresent()) {
                    var a = m.source().get();
                    requireFamily(rule, a);
                    srcKind[r] = kind(a);
                    srcSet[r] = a.set().orElse(null);
                    long[] mask = mask(family, a.cidr().prefix());
                    srcMaskHi[r] = mask[0]; srcMaskLo[r] = mask[1];
                    srcNetHi[r] = a.cidr().hi(); srcNetLo[r] = a.cidr().lo();
                }
                if (m.destination().isPresent()) {
                    var a = m.destination().get();
                    requireFamily(rule, a);
                    dstKind[r] = kind(a);
                    dstSet[r] = a.set().orElse(null);
                    long[] mask = mask(family, a.cidr().prefix());
                    dstMaskHi[r] = mask[0]; dstMaskLo[r] = mask[1];
                    dstNetHi[r] = a.cidr().hi(); dstNetLo[r] = a.cidr().lo();
                }
                sports[r] = ranges(m.sourcePorts());
                dports[r] = ranges(m.destinationPorts());
                icmp[r] = m.icmpType().orElse(-1);
                established[r] = m.established();
                loopback[r] = m.loopbackInterface();
                var t = rule.target();
                if (t instanceof Target.Accept) action[r] = ACCEPT;
                else if (t instanceof Target.Drop) action[r] = DROP;
                else if (t instanceof Target.Reject) action[r] = REJECT;
                else if (t instanceof Target.Log || t instanceof Target.AuditLog) action[r] = LOG;
                else if (t instanceof Target.Return) action[r] = RETURN;
                else if (t instanceof Target.Jump j) {
                    action[r] = JUMP;
                    Integer target = chainIndex.get(j.chain());
                    if (target == null || target < Direction.values().length)
                        throw new IllegalArgumentException("rule " + rule.id() + " in " + rule.chain()
                                + " jumps to " + j.chain() + ", which is not a chain of this rule set");
                    jumpChain[r] = target;
                }
            }
            candidates = new int[names.size()][][];
            everyRule = new int[names.size()][];
            int base = 0;
            for (int c = 0; c < names.size(); c++) {
                int size = chainRules.get(c).size();
                everyRule[c] = new int[size];
                for (int i = 0; i < size; i++) everyRule[c][i] = base + i;
                candidates[c] = new int[PROTOCOLS + 1][];
                for (int pc = 0; pc <= PROTOCOLS; pc++) {
                    var list = new int[size];
                    int k = 0;
                    for (int r = base; r < base + size; r++) {
                        if (proto[r] < 0 || proto[r] == pc) list[k++] = r;
                    }
                    candidates[c][pc] = java.util.Arrays.copyOf(list, k);
                }
                base += size;
            }
            indexes = new IntervalIndex[names.size()][PROTOCOLS + 1][];
            for (int c = 0; c < names.size(); c++) {
                for (int pc = 0; pc <= PROTOCOLS; pc++) {
                    int[] list = candidates[c][pc];
                    if (list.length < INDEX_MIN_RULES) continue;
                    // Each index may hold a few times the chain's rules; past that, rules that do
                    // not constrain the field repeat in every interval and the index would cost
                    // more memory than the scan it saves.
                    long budget = 8L * list.length + 4096;
                    indexes[c][pc] = new IntervalIndex[] {
                            IntervalIndex.build(list, this::dportRanges, budget),
                            IntervalIndex.build(list, r -> addressRanges(srcKind[r], srcNetHi[r], srcNetLo[r], srcMaskHi[r], srcMaskLo[r]), budget),
                            IntervalIndex.build(list, r -> addressRanges(dstKind[r], dstNetHi[r], dstNetLo[r], dstMaskHi[r], dstMaskLo[r]), budget)};
                }
            }
        }

        private long[] dportRanges(int r) {
            int[] d = dports[r];
            if (d == null) return null;
            long[] out = new long[d.length * 2];
            for (int i = 0; i < d.length; i += 2) {
                out[2 * i + 1] = d[i];
                out[2 * i + 3] = d[i + 1];
            }
            return out;
        }

        private long[] addressRanges(byte kind, long netHi, long netLo, long maskHi, long maskLo) {
            // A set match constrains the address too, but as thousands of intervals; the rule is
            // kept as a candidate for every address and its set decides in matches().
            if (kind == 0 || kind >= 3) return null;
            long endHi = netHi | ~maskHi, endLo = netLo | ~maskLo;
            long maxHi = -1L, maxLo = -1L;
            if (family == Family.V4) {
                endHi = 0;
                endLo = netLo | (~maskLo & 0xFFFF_FFFFL);
                maxHi = 0;
                maxLo = 0xFFFF_FFFFL;
            }
            if (kind == 1) return new long[] {netHi, netLo, endHi, endLo};
            // "not CIDR": everything below the network and everything above it.
            var out = new java.util.ArrayList<Long>();
            if (netHi != 0 || netLo != 0) {
                long bLo = netLo - 1, bHi = netLo == 0 ? netHi - 1 : netHi;
                out.addAll(List.of(0L, 0L, bHi, bLo));
            }
            if (endHi != maxHi || endLo != maxLo) {
                long aLo = endLo + 1, aHi = aLo == 0 ? endHi + 1 : endHi;
                out.addAll(List.of(aHi, aLo, maxHi, maxLo));
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }

        /**
         * The rules of a chain worth testing for this flow: the protocol's candidates, or the
         * shortest list any field index gives for the flow's values (each is in chain order).
         */
        private int[] rulesFor(int chain, Probe p) {
            int[] best = candidates[chain][p.protocol];
            var idx = indexes[chain][p.protocol];
            if (idx == null) return best;
            if (idx[0] != null && p.dport >= 0) {
                int[] l = idx[0].lookup(0, p.dport);
                if (l.length < best.length) best = l;
            }
            if (idx[1] != null && p.hasSource) {
                int[] l = idx[1].lookup(p.srcHi, p.srcLo);
                if (l.length < best.length) best = l;
            }
            if (idx[2] != null && p.hasDestination) {
                int[] l = idx[2].lookup(p.dstHi, p.dstLo);
                if (l.length < best.length) best = l;
            }
            return best;
        }

        private static byte kind(AddressMatch a) {
            return (byte) ((a.set().isPresent() ? 3 : 1) + (a.negated() ? 1 : 0));
        }

        private static void requireFamily(CompiledRule rule, AddressMatch a) {
            if (a.cidr().family() != rule.family())
                throw new IllegalArgumentException("rule " + rule.id() + " mixes address families");
        }

        private static long[] mask(Family family, int prefix) {
            if (family == Family.V4) {
                return new long[] {0, prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL};
            }
            long hi = prefix == 0 ? 0 : prefix >= 64 ? -1L : ~(-1L >>> prefix);
            long lo = prefix <= 64 ? 0 : prefix == 128 ? -1L : ~(-1L >>> (prefix - 64));
            return new long[] {hi, lo};
        }

        private static int[] ranges(List<PortRange> list) {
            if (list.isEmpty()) return null;
            int[] out = new int[list.size() * 2];
            for (int i = 0; i < list.size(); i++) {
                out[2 * i] = list.get(i).from();
                out[2 * i + 1] = list.get(i).to();
            }
            return out;
        }

        /**
         * Returns the index of the deciding rule, or -1 when the built-in policy decides.
         * With a trace list, records every rule consulted (protocol-skipped rules included,
         * so the trace shows the whole walk).
         */
        int walk(Probe p, List<Step> trace, List<CompiledRule> audit) {
            int[][] stackList = new int[MAX_DEPTH][];
            int[] stackPos = new int[MAX_DEPTH];
            int depth = 0;
            int chain = p.direction; // INPUT = 0, OUTPUT = 1, matching Direction's order
            int[] list = trace == null ? rulesFor(chain, p) : allRules(chain);
            int pos = 0;
            while (true) {
                if (pos == list.length) {
                    if (depth == 0) return -1;
                    depth--;
                    list = stackList[depth];
                    pos = stackPos[depth];
                    continue;
                }
                int r = list[pos++];
                boolean hit = matches(r, p);
                if (trace != null) {
                    Optional<Mismatch> why = hit ? Optional.empty() : Optional.of(explainMismatch(rules[r].match(), p.flow));
                    trace.add(new Step(rules[r], depth, why));
                }
                if (!hit) continue;
                int a = action[r];
                if (a == LOG) continue;
                if (a == RETURN) {
                    // An audited policy's decision: recorded (a would-deny), then back to the caller.
                    if (rules[r].origin().countsWouldDeny(rules[r].target())) audit.add(rules[r]);
                    if (depth == 0) return -1;
                    depth--;
                    list = stackList[depth];
                    pos = stackPos[depth];
                    continue;
                }
                if (a != JUMP) return r;
                if (depth == MAX_DEPTH) throw new IllegalStateException("chains nest deeper than " + MAX_DEPTH);
                stackList[depth] = list;
                stackPos[depth] = pos;
                depth++;
                chain = jumpChain[r];
                list = trace == null ? rulesFor(chain, p) : allRules(chain);
                pos = 0;
            }
        }

        /** Every rule of a chain, for traces: the protocol candidates would hide skipped rules. */
        private int[] allRules(int chain) {
            return everyRule[chain];
        }

        boolean matches(int r, Probe p) {
            int pr = proto[r];
            if (pr >= 0 && pr != p.protocol) return false;
            if (loopback[r] && !p.loopback) return false;
            byte sk = srcKind[r];
            if (sk != 0) {
                if (!p.hasSource) return false;
                boolean in = sk >= 3 ? srcSet[r].contains(p.srcHi, p.srcLo)
                        : (p.srcHi & srcMaskHi[r]) == srcNetHi[r] && (p.srcLo & srcMaskLo[r]) == srcNetLo[r];
                if (in != (sk == 1 || sk == 3)) return false;
            }
            byte dk = dstKind[r];
            if (dk != 0) {
                if (!p.hasDestination) return false;
                boolean in = dk >= 3 ? dstSet[r].contains(p.dstHi, p.dstLo)
                        : (p.dstHi & dstMaskHi[r]) == dstNetHi[r] && (p.dstLo & dstMaskLo[r]) == dstNetLo[r];
                if (in != (dk == 1 || dk == 3)) return false;
            }
            int[] sp = sports[r];
            if (sp != null && !inRanges(sp, p.sport)) return false;
            int[] dp = dports[r];
            if (dp != null && !inRanges(dp, p.dport)) return false;
            int it = icmp[r];
            if (it >= 0 && it != p.icmp) return false;
            return !established[r] || p.established;
        }

        private static boolean inRanges(int[] ranges, int port) {
            if (port < 0) return false;
            for (int i = 0; i < ranges.length; i += 2) {
                if (port >= ranges[i] && port <= ranges[i + 1]) return true;
            }
            return false;
        }

        Decision decision(Flow flow, int r, List<Step> trace, List<CompiledRule> audit) {
            if (r < 0) return new Decision(flow, policy[flow.direction().ordinal()], Optional.empty(), trace, audit);
            // An audited default accepts what it would refuse.
            if (rules[r].origin().countsWouldDeny(rules[r].target())) audit.add(rules[r]);
            Verdict v = switch (action[r]) {
                case ACCEPT -> Verdict.ALLOW;
                case DROP -> Verdict.DENY;
                case REJECT -> Verdict.REJECT;
                default -> throw new IllegalStateException("non-terminal rule decided");
            };
            return new Decision(flow, v, Optional.of(rules[r]), trace, audit);
        }
    }

    /**
     * The first field that keeps {@code m} from matching {@code f}, in the order the fast
     * path checks them. Only called for traces; the fast path must agree with it (tested).
     */
    static Mismatch explainMismatch(Match m, Flow f) {
        return firstMismatch(m, f).orElseThrow(() -> new IllegalStateException("fast path and explanation disagree on " + m + " for " + f));
    }

    /** The first field that keeps {@code m} from matching {@code f}, if any. */
    static Optional<Mismatch> firstMismatch(Match m, Flow f) {
        return Optional.ofNullable(firstMismatchOrNull(m, f));
    }

    private static Mismatch firstMismatchOrNull(Match m, Flow f) {
        if (m.protocol().isPresent() && !m.protocol().equals(f.protocol())) {
            return new Mismatch(Mismatch.Field.PROTOCOL, "rule needs " + m.protocol().get().keyword() + ", flow is "
                    + f.protocol().map(Protocol::keyword).orElse("unspecified"));
        }
        if (m.loopbackInterface() && !f.loopback()) {
            return new Mismatch(Mismatch.Field.INTERFACE, "rule needs interface lo, flow does not cross it");
        }
        var addr = address(Mismatch.Field.SOURCE, m.source(), f.source());
        if (addr != null) return addr;
        addr = address(Mismatch.Field.DESTINATION, m.destination(), f.destination());
        if (addr != null) return addr;
        var port = port(Mismatch.Field.SOURCE_PORT, m.sourcePorts(), f.sourcePort());
        if (port != null) return port;
        port = port(Mismatch.Field.DESTINATION_PORT, m.destinationPorts(), f.destinationPort());
        if (port != null) return port;
        if (m.icmpType().isPresent()) {
            var proto = m.protocol().orElse(Protocol.ICMP);
            String want = IcmpTypes.name(proto, m.icmpType().get());
            if (f.icmpType().isEmpty()) return new Mismatch(Mismatch.Field.ICMP_TYPE, "rule needs type " + want + ", flow has none");
            if (f.icmpType().getAsInt() != m.icmpType().get())
                return new Mismatch(Mismatch.Field.ICMP_TYPE, "rule needs type " + want + ", flow is "
                        + IcmpTypes.name(proto, f.icmpType().getAsInt()));
        }
        if (m.established() && f.state() != ConnState.ESTABLISHED) {
            return new Mismatch(Mismatch.Field.STATE, "rule needs an established connection, flow is new");
        }
        return null;
    }

    private static Mismatch address(Mismatch.Field field, Optional<AddressMatch> want, Optional<Address> have) {
        if (want.isEmpty()) return null;
        var a = want.get();
        String rule = (a.negated() ? "not " : "") + a.set().map(Evaluator::describe).orElse(a.cidr().withPrefix());
        if (have.isEmpty()) return new Mismatch(field, "rule needs " + rule + ", flow does not say");
        if (!a.matches(have.get().hi(), have.get().lo())) return new Mismatch(field, have.get() + " is not in " + rule);
        return null;
    }

    /**
     * {@code $clients (kernel set fwp-web-clients-4abcdefgh)}: the set as written and as the kernel knows it;
     * {@code $frontend (kernel set …, follows pods "app=frontend" in shop)} for a dynamic set.
     */
    static String describe(NetworkSet set) {
        // A set that follows the cluster also says what it follows: its members are not in the policy.
        String follows = set.dynamic().stream().map(d -> d.set().equals(set.set()) ? d.source() : d.describe())
                .reduce((a, b) -> a + ", " + b).map(f -> ", follows " + f).orElse("");
        return "$" + set.set() + " (kernel set " + set.name() + follows + ")";
    }

    private static Mismatch port(Mismatch.Field field, List<PortRange> want, java.util.OptionalInt have) {
        if (want.isEmpty()) return null;
        String rule = String.join(",", want.stream().map(PortRange::source).toList());
        if (have.isEmpty()) return new Mismatch(field, "rule needs port " + rule + ", flow does not say");
        int port = have.getAsInt();
        if (want.stream().noneMatch(r -> r.contains(port))) return new Mismatch(field, port + " is not in " + rule);
        return null;
    }
}
