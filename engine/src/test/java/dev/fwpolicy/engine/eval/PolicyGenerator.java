package dev.fwpolicy.engine.eval;
import dev.fwpolicy.engine.iptables.ChainNames;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ipset.SetNames;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Random policies and flows over a fixed address plan (documentation ranges only), so the
 * same generator feeds the in-memory properties and the kernel differential test, whose
 * namespaces carry exactly these addresses.
 *
 * <p>Rules draw their networks around the addresses flows use, with prefixes from host to
 * /8, so that flows hit, miss and partially overlap rules; about half of the flows are
 * aimed at a random rule to make sure deep rules decide often.
 */
public final class PolicyGenerator {
    public static final List<Address> SERVER_V4 = List.of(addr("192.0.2.1"), addr("192.0.2.2"));
    public static final List<Address> SERVER_V6 = List.of(addr("2001:db8::1"), addr("2001:db8::2"));
    public static final List<Address> CLIENT_V4 = new ArrayList<>();
    public static final List<Address> CLIENT_V6 = new ArrayList<>();
    public static final int[] SERVICE_PORTS = {22, 53, 80, 443, 8080, 9000};
    /** Source ports of flows: the generator hands out a fresh one per flow (no conntrack reuse). */
    public static final int SOURCE_PORT_BASE = 20000;

    static {
        for (int i = 16; i < 48; i++) {
            CLIENT_V4.add(addr("192.0.2." + i));
            CLIENT_V4.add(addr("198.51.100." + i));
            CLIENT_V6.add(addr("2001:db8::" + Integer.toHexString(0x100 + i)));
            CLIENT_V6.add(addr("2001:db8:1::" + Integer.toHexString(0x100 + i)));
        }
    }

    private static final int[] V4_PREFIXES = {32, 32, 31, 30, 28, 27, 26, 24, 24, 23, 16, 8};
    private static final int[] V6_PREFIXES = {128, 128, 127, 126, 124, 121, 120, 64, 64, 63, 48, 32};

    private final Random random;
    private final int sourcePortLow;
    private final int sourcePortHigh;
    private int nextSourcePort;
    private int nextIcmpId;
    private int maxRulesPerChain = 6;
    private boolean kernelSets;
    private int nextSet;

    /** {@code sourcePortLow..High}: this policy's share of source ports, never used by another. */
    public PolicyGenerator(long seed, int sourcePortLow, int sourcePortHigh) {
        this.random = new Random(seed);
        this.sourcePortLow = sourcePortLow;
        this.sourcePortHigh = sourcePortHigh;
        this.nextSourcePort = sourcePortLow;
        this.nextIcmpId = sourcePortLow;
    }

    /** Larger chains, for properties that must reach the evaluator's per-chain indexes. */
    public PolicyGenerator withMaxRulesPerChain(int max) {
        this.maxRulesPerChain = max;
        return this;
    }

    /**
     * IR policies also match kernel sets: one address match in four becomes a set holding the
     * network plus decoy networks outside the test's addresses (a set, not a single network,
     * decides), for the differential test, which loads the sets with ipset.
     */
    public PolicyGenerator withKernelSets() {
        this.kernelSets = true;
        return this;
    }

    private static Address addr(String s) {
        return Address.parse(s).orElseThrow();
    }

    public static List<Address> server(Family f) {
        return f == Family.V4 ? SERVER_V4 : SERVER_V6;
    }

    public static List<Address> client(Family f) {
        return f == Family.V4 ? CLIENT_V4 : CLIENT_V6;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    public RuleSet policy() {
        var b = new RuleSetBuilder();
        for (var d : Direction.values()) {
            int r = random.nextInt(10);
            // Outbound DENY by default is rarer: it is the less common policy and inbound covers it.
            if (r < 3) b.defaultVerdict(d, Verdict.DENY);
            else if (r < 5) b.defaultVerdict(d, Verdict.REJECT);
            else if (r < 7) b.defaultVerdict(d, Verdict.ALLOW);
        }
        int policies = 1 + random.nextInt(4);
        for (int p = 0; p < policies; p++) {
            String name = "p" + p;
            b.policy(name);
            for (var d : Direction.values()) {
                for (var f : Family.values()) {
                    int n = random.nextInt(maxRulesPerChain + 1);
                    for (int i = 0; i < n; i++) {
                        var m = match(d, f);
                        var t = target(f);
                        if (t instanceof Target.Reject r && r.how() == Target.Reject.How.TCP_RESET && !m.protocol().equals(Optional.of(Protocol.TCP)))
                            t = new Target.Reject(Target.Reject.How.PORT_UNREACHABLE);
                        b.rule(name, d, f, m, t);
                    }
                }
            }
        }
        var rs = b.build();
        var sets = new java.util.LinkedHashMap<String, NetworkSet>();
        rs.allRules().forEach(r -> {
            r.match().source().flatMap(AddressMatch::set).ifPresent(s -> sets.put(s.name(), s));
            r.match().destination().flatMap(AddressMatch::set).ifPresent(s -> sets.put(s.name(), s));
        });
        return new RuleSet(rs.chains(), rs.jumps(), rs.revision(), List.copyOf(sets.values()));
    }

    /**
     * The same kind of random policy, written in the policy language for the compiler: the
     * differential test then also covers lowering, rendering and the forms the compiler
     * emits. A rule without addresses applies to both families there, as in any policy. With
     * {@link #withKernelSets()}, an address match that would be a set in an IR policy is a
     * declared set here ({@code set sN = { … }}, used as {@code $sN} or {@code not $sN}) and
     * the policy says {@code kernel-sets above N} (1–4, below every such set's size), so the
     * compiler makes them kernel sets and writes their {@code --match-set} rules itself.
     */
    public String policyText() {
        var sb = new StringBuilder("# generated by PolicyGenerator\n");
        int policies = 1 + random.nextInt(4);
        for (int p = 0; p < policies; p++) {
            // One policy in four is audited: its rules record what they would decide and let the packet go on.
            sb.append("policy p").append(p).append(" priority ").append(10 * (p + 1)).append(random.nextInt(4) == 0 ? " audit" : "")
                    .append(" {\n");
            if (p == 0) {
                for (var d : Direction.values()) {
                    int r = random.nextInt(12);
                    if (r < 3) sb.append("  default ").append(d.keyword()).append(" deny\n");
                    else if (r < 5) sb.append("  default ").append(d.keyword()).append(" reject\n");
                    else if (r < 7) sb.append("  default ").append(d.keyword()).append(" allow\n");
                    else if (r < 8) sb.append("  default ").append(d.keyword()).append(" deny audit\n");
                    else if (r < 9) sb.append("  default ").append(d.keyword()).append(" reject audit\n");
                }
            }
            // At most 4: a set has 9 or more networks, so each becomes a kernel set, which a negated
            // set of several networks must be (expanded, it would be a negation-too-wide error).
            if (kernelSets) sb.append("  kernel-sets above ").append(1 + random.nextInt(4)).append('\n');
            var declared = new ArrayList<NetworkSet>();
            var blocks = new StringBuilder();
            for (var d : Direction.values()) {
                blocks.append("  ").append(d.keyword()).append(" {\n");
                int n = random.nextInt(maxRulesPerChain + 1);
                for (int i = 0; i < n; i++) {
                    var f = random.nextInt(3) == 0 ? Family.V6 : Family.V4;
                    var t = target(f);
                    // The compiler chooses how a reject answers (reset for TCP): the policy only says reject.
                    var m = match(d, f);
                    m.source().flatMap(AddressMatch::set).ifPresent(declared::add);
                    m.destination().flatMap(AddressMatch::set).ifPresent(declared::add);
                    blocks.append("    ").append(RuleSetBuilder.describe(d, m, t)).append('\n');
                }
                blocks.append("  }\n");
            }
            for (var set : declared) {
                sb.append("  set ").append(set.set()).append(" = { ")
                        .append(set.members().stream().map(Cidr::source).collect(java.util.stream.Collectors.joining(", "))).append(" }\n");
            }
            sb.append(blocks).append("}\n");
        }
        return sb.toString();
    }

    private Target target(Family f) {
        int r = random.nextInt(10);
        if (r < 4) return new Target.Accept();
        if (r < 6) return new Target.Drop();
        if (r < 8) return new Target.Reject(Target.Reject.How.PORT_UNREACHABLE);
        if (r < 9) return new Target.Log("fwp ");
        return new Target.Reject(Target.Reject.How.TCP_RESET); // only valid with -p tcp: match() fixes the protocol
    }

    private Match match(Direction d, Family f) {
        Optional<Protocol> protocol = switch (random.nextInt(7)) {
            case 0 -> Optional.empty();
            case 1, 2, 3 -> Optional.of(Protocol.TCP);
            case 4, 5 -> Optional.of(Protocol.UDP);
            default -> Optional.of(f == Family.V4 ? Protocol.ICMP : Protocol.ICMPV6);
        };
        if (random.nextInt(25) == 0) {
            return new Match(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), true, false);
        }
        // Inbound packets come from clients to the server; outbound the other way round.
        var remote = client(f);
        var local = server(f);
        var srcPool = d == Direction.INBOUND ? remote : local;
        var dstPool = d == Direction.INBOUND ? local : remote;
        var source = random.nextInt(3) == 0 ? Optional.<AddressMatch>empty() : Optional.of(cidrAround(pick(srcPool)));
        var destination = random.nextInt(2) == 0 ? Optional.<AddressMatch>empty() : Optional.of(cidrAround(pick(dstPool)));
        List<PortRange> sports = List.of(), dports = List.of();
        Optional<Integer> icmp = Optional.empty();
        if (protocol.isPresent() && protocol.get().hasPorts()) {
            if (random.nextInt(5) == 0) {
                int a = sourcePortLow + random.nextInt(sourcePortHigh - sourcePortLow + 1);
                int bnd = Math.min(sourcePortHigh, a + random.nextInt(sourcePortHigh - sourcePortLow + 1));
                sports = List.of(new PortRange(a, bnd));
            }
            if (random.nextInt(4) != 0) dports = ports();
        } else if (protocol.isPresent() && random.nextInt(2) == 0) {
            boolean v6 = protocol.get() == Protocol.ICMPV6;
            int[] types = v6 ? new int[] {128, 128, 129, 1} : new int[] {8, 8, 0, 13};
            icmp = Optional.of(types[random.nextInt(types.length)]);
        }
        return new Match(protocol, source, destination, sports, dports, icmp, false, false);
    }

    private List<PortRange> ports() {
        int k = random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(3);
        var out = new ArrayList<PortRange>();
        for (int i = 0; i < k; i++) {
            int p = SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)];
            if (random.nextInt(4) == 0) out.add(new PortRange(Math.max(1, p - random.nextInt(30)), p + random.nextInt(30)));
            else out.add(PortRange.of(p));
        }
        return PortRange.normalize(out);
    }

    private AddressMatch cidrAround(Address a) {
        int[] prefixes = a.family() == Family.V4 ? V4_PREFIXES : V6_PREFIXES;
        var cidr = Cidr.networkOf(a, prefixes[random.nextInt(prefixes.length)]);
        boolean negated = random.nextInt(6) == 0;
        if (kernelSets && random.nextInt(4) == 0 && !cidr.isAll()) {
            var members = new ArrayList<Cidr>(List.of(cidr));
            int decoys = 8 + random.nextInt(12);
            for (int i = 0; i < decoys; i++) {
                // 10.0.0.0/8 and fd00::/8 hold none of the test's addresses.
                members.add(a.family() == Family.V4
                        ? Cidr.networkOf(new Address(Family.V4, 0, (10L << 24) | random.nextInt(1 << 24)), 24 + random.nextInt(9))
                        : Cidr.networkOf(new Address(Family.V6, (0xfdL << 56) | (random.nextLong() >>> 8), random.nextLong()), 64 + random.nextInt(65)));
            }
            String set = "s" + nextSet++;
            var network = new NetworkSet(SetNames.of("gen", set, a.family()), "gen", set, a.family(), members);
            return AddressMatch.inSet(network, negated);
        }
        return new AddressMatch(cidr, negated);
    }

    /** A flow the kernel test can send: fully specified, NEW, one of tcp/udp/icmp echo. */
    public Flow flow(RuleSet rs) {
        var d = random.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND;
        var f = random.nextInt(3) == 0 ? Family.V6 : Family.V4;
        // Aim at a rule half of the time: take its addresses and ports where it names them.
        var rules = rs.chains(f).stream().filter(c -> c.name().startsWith("FWP-" + ChainNames.letter(d) + "-"))
                .flatMap(c -> c.rules().stream()).toList();
        Match aim = !rules.isEmpty() && random.nextBoolean() ? pick(rules).match() : Match.any();
        var remote = pick(client(f));
        var local = pick(server(f));
        Address src = d == Direction.INBOUND ? remote : local;
        Address dst = d == Direction.INBOUND ? local : remote;
        src = aimAt(aim.source(), src, d == Direction.INBOUND ? client(f) : server(f));
        dst = aimAt(aim.destination(), dst, d == Direction.INBOUND ? server(f) : client(f));
        Protocol protocol = aim.protocol().filter(p -> p != Protocol.SCTP).orElseGet(() -> switch (random.nextInt(5)) {
            case 0, 1 -> Protocol.TCP;
            case 2, 3 -> Protocol.UDP;
            default -> f == Family.V4 ? Protocol.ICMP : Protocol.ICMPV6;
        });
        if (protocol.isIcmp()) {
            // Only echo requests get an answer from the kernel, so only they show the verdict.
            return Flow.icmp(d, src, dst, protocol == Protocol.ICMP ? 8 : 128);
        }
        if (nextSourcePort > sourcePortHigh) throw new IllegalStateException("source ports for this policy used up");
        int sport = nextSourcePort++;
        int dport = SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)];
        if (!aim.destinationPorts().isEmpty() && random.nextInt(4) != 0) {
            var r = pick(aim.destinationPorts());
            // Only ports something listens on give an observable "accepted".
            for (int p : SERVICE_PORTS) if (r.contains(p)) dport = p;
        }
        return Flow.ports(d, protocol, src, sport, dst, dport);
    }

    /** A flow from the server to itself over lo (127.0.0.1 or ::1): tcp, udp or echo. */
    public Flow loopbackFlow() {
        var f = random.nextInt(3) == 0 ? Family.V6 : Family.V4;
        var lo = addr(f == Family.V4 ? "127.0.0.1" : "::1");
        switch (random.nextInt(3)) {
            case 0:
                return Flow.icmp(Direction.OUTBOUND, lo, lo, f == Family.V4 ? 8 : 128);
            default:
                if (nextSourcePort > sourcePortHigh) throw new IllegalStateException("source ports for this policy used up");
                var protocol = random.nextBoolean() ? Protocol.TCP : Protocol.UDP;
                return Flow.ports(Direction.OUTBOUND, protocol, lo, nextSourcePort++, lo,
                        SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)]);
        }
    }

    /** A fresh id per ICMP flow: conntrack keys echo requests by id. */
    public int nextIcmpId() {
        return nextIcmpId++;
    }

    private Address aimAt(Optional<AddressMatch> want, Address fallback, List<Address> pool) {
        if (want.isEmpty()) return fallback;
        var a = want.get();
        var candidates = pool.stream().filter(x -> a.matches(x.hi(), x.lo())).toList();
        return candidates.isEmpty() ? fallback : pick(candidates);
    }
}
