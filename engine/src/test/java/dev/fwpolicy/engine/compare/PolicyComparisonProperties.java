package dev.fwpolicy.engine.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.eval.PolicyGenerator;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The comparison against the evaluator, packet by packet: for random pairs of policies and
 * random packets (most of them on or next to a boundary either policy draws, or inside a
 * reported class), the verdicts differ exactly when the packet lies in a reported class, it
 * lies in at most one, and that class names the evaluator's verdicts and deciding rules.
 */
class PolicyComparisonProperties {
    private static final int PACKETS = 1000;

    @Property(tries = 120)
    void classesAreExactlyThePacketsWhoseVerdictDiffers(@ForAll long seed) {
        var random = new Random(seed);
        var gen = new PolicyGenerator(seed, 20000, 20100).withMaxRulesPerChain(10);
        boolean text = random.nextBoolean();
        if (!text && random.nextBoolean()) gen.withKernelSets();
        RuleSet before = text ? compile("before.fwpolicy", gen.policyText()) : gen.policy();
        RuleSet after = switch (random.nextInt(3)) {
            case 0 -> text ? compile("after.fwpolicy", gen.policyText()) : gen.policy();
            case 1 -> mutate(before, text ? compile("other.fwpolicy", gen.policyText()) : gen.policy(), random);
            default -> before;
        };
        // A rule set that lets packets fall off its built-in chain (IR policies without a default
        // can; a kernel read-back can) is decided there by the chain's own policy.
        Evaluator.BuiltinPolicy oldPolicy = builtin(random), newPolicy = builtin(random);
        var changes = PolicyComparison.compare(before, oldPolicy, after, newPolicy);
        var old = new Evaluator(before, oldPolicy);
        var now = new Evaluator(after, newPolicy);
        var points = new Boundaries(before, after);
        int differing = 0;
        for (int i = 0; i < PACKETS; i++) {
            var flow = random.nextInt(3) == 0 && !changes.isEmpty()
                    ? insideClass(changes.get(random.nextInt(changes.size())).packets(), random)
                    : points.packet(random);
            var b = old.decide(flow);
            var a = now.decide(flow);
            var in = changes.stream().filter(c -> c.packets().contains(flow)).toList();
            String context = flow + "\nbefore " + b.verdict() + " by " + b.location() + ", after " + a.verdict() + " by "
                    + a.location() + "\nclasses holding it: " + in;
            if (b.verdict() == a.verdict()) {
                assertEquals(List.of(), in, context);
            } else {
                differing++;
                assertEquals(1, in.size(), context);
                var c = in.get(0);
                assertEquals(b.verdict(), c.before().verdict(), context);
                assertEquals(b.rule(), c.before().rule(), context);
                assertEquals(a.verdict(), c.after().verdict(), context);
                assertEquals(a.rule(), c.after().rule(), context);
            }
        }
        // Not vacuous: most pairs must put packets on both sides of the line.
        Statistics.label("pairs with packets whose verdict differs").collect(differing > 0);
        Statistics.label("pairs with packets whose verdict differs").coverage(
                checker -> checker.check(true).percentage(p -> p >= 40));
    }

    private static Evaluator.BuiltinPolicy builtin(Random random) {
        var verdicts = new dev.fwpolicy.engine.vocabulary.Verdict[4];
        for (int i = 0; i < 4; i++) verdicts[i] = random.nextInt(3) == 0 ? dev.fwpolicy.engine.vocabulary.Verdict.DENY
                : dev.fwpolicy.engine.vocabulary.Verdict.ALLOW;
        return (family, direction) -> verdicts[2 * family.ordinal() + direction.ordinal()];
    }

    private static RuleSet compile(String file, String text) {
        var result = new Compiler().compile(List.of(new SourceFile(file, text)));
        if (result.hasErrors()) throw new AssertionError("generated policy does not compile:\n" + text + "\n" + result.diagnostics());
        return result.ruleSet().orElseThrow();
    }

    /** A small edit of {@code base}: rules dropped, swapped or borrowed from {@code other}'s chain of the same name. */
    private static RuleSet mutate(RuleSet base, RuleSet other, Random random) {
        var chains = new ArrayList<OwnedChain>();
        for (var c : base.chains()) {
            var rules = new ArrayList<>(c.rules());
            if (!rules.isEmpty() && random.nextInt(3) == 0) {
                int at = random.nextInt(rules.size());
                if (!(rules.get(at).target() instanceof dev.fwpolicy.engine.ir.Target.Jump)) rules.remove(at);
            }
            if (rules.size() > 2 && random.nextInt(3) == 0) {
                int at = random.nextInt(rules.size() - 2);
                rules.add(at, rules.remove(at + 1));
            }
            var twin = other.chain(c.family(), c.name());
            if (twin.isPresent() && !twin.get().rules().isEmpty() && random.nextInt(2) == 0) {
                var borrowed = twin.get().rules().get(random.nextInt(twin.get().rules().size()));
                if (!(borrowed.target() instanceof dev.fwpolicy.engine.ir.Target.Jump))
                    rules.add(random.nextInt(rules.size() + 1), borrowed);
            }
            chains.add(new OwnedChain(c.family(), c.name(), rules));
        }
        var sets = new java.util.LinkedHashMap<String, dev.fwpolicy.engine.ir.NetworkSet>();
        base.sets().forEach(s -> sets.put(s.name(), s));
        other.sets().forEach(s -> sets.putIfAbsent(s.name(), s));
        return new RuleSet(chains, base.jumps(), base.revision() + "-edited", List.copyOf(sets.values()));
    }

    /** A random packet of the class. */
    private static Flow insideClass(PacketClass p, Random random) {
        Family f = p.family();
        var protocol = switch (p.protocol()) {
            case ANY -> randomProtocol(f, random);
            case OTHER -> Optional.<Protocol>empty();
            default -> p.protocol().protocol();
        };
        var src = inside(pick(p.sources(), random), random);
        var dst = inside(pick(p.destinations(), random), random);
        boolean ports = protocol.map(Protocol::hasPorts).orElse(false);
        boolean icmp = protocol.map(Protocol::isIcmp).orElse(false);
        var state = p.state().orElse(random.nextBoolean() ? ConnState.NEW : ConnState.ESTABLISHED);
        boolean loopback = p.loopback().orElse(random.nextInt(4) == 0);
        return new Flow(p.direction(), f, protocol, Optional.of(src),
                ports ? OptionalInt.of(inside(pick(p.sourcePorts(), random), random)) : OptionalInt.empty(),
                Optional.of(dst),
                ports ? OptionalInt.of(inside(pick(p.destinationPorts(), random), random)) : OptionalInt.empty(),
                icmp ? OptionalInt.of(inside(pick(p.icmpTypes(), random), random)) : OptionalInt.empty(), state, loopback);
    }

    private static Optional<Protocol> randomProtocol(Family f, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Optional.of(Protocol.TCP);
            case 1 -> Optional.of(Protocol.UDP);
            case 2 -> Optional.of(Protocol.SCTP);
            case 3 -> Optional.of(f == Family.V4 ? Protocol.ICMP : Protocol.ICMPV6);
            default -> Optional.empty();
        };
    }

    private static <T> T pick(List<T> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    private static int inside(PortRange r, Random random) {
        return r.from() + random.nextInt(r.to() - r.from() + 1);
    }

    private static int inside(TypeRange r, Random random) {
        return r.from() + random.nextInt(r.to() - r.from() + 1);
    }

    private static Address inside(Cidr c, Random random) {
        int hostBits = c.family().bits() - c.prefix();
        var offset = hostBits == 0 ? BigInteger.ZERO : switch (random.nextInt(3)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
            default -> new BigInteger(hostBits, random);
        };
        var base = BigInteger.valueOf(c.hi()).and(MASK64).shiftLeft(64).or(BigInteger.valueOf(c.lo()).and(MASK64));
        var v = base.add(offset);
        return new Address(c.family(), c.family() == Family.V4 ? 0 : v.shiftRight(64).longValue(), v.longValue());
    }

    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Every value either policy cuts a dimension at, and its neighbours: where an off-by-one would show. */
    private static final class Boundaries {
        final List<Address> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        final List<Integer> ports = new ArrayList<>(), types = new ArrayList<>();

        Boundaries(RuleSet... sets) {
            var p = new TreeSet<Integer>(List.of(0, 1, 65534, 65535));
            var t = new TreeSet<Integer>(List.of(0, 8, 128, 255));
            for (var rs : sets) {
                for (CompiledRule r : rs.allRules().toList()) {
                    var m = r.match();
                    m.source().ifPresent(this::address);
                    m.destination().ifPresent(this::address);
                    for (var range : m.sourcePorts()) around(p, range.from(), range.to(), 65535);
                    for (var range : m.destinationPorts()) around(p, range.from(), range.to(), 65535);
                    m.icmpType().ifPresent(x -> around(t, x, x, 255));
                }
            }
            for (var f : Family.values()) {
                PolicyGenerator.client(f).forEach(a -> list(f).add(a));
                PolicyGenerator.server(f).forEach(a -> list(f).add(a));
                list(f).add(Cidr.all(f).address());
            }
            ports.addAll(p);
            types.addAll(t);
        }

        private List<Address> list(Family f) {
            return f == Family.V4 ? v4 : v6;
        }

        private static void around(TreeSet<Integer> out, int from, int to, int max) {
            for (int v : new int[] {from - 1, from, to, to + 1}) if (v >= 0 && v <= max) out.add(v);
        }

        private void address(AddressMatch a) {
            var networks = a.set().map(s -> s.members()).orElse(List.of(a.cidr()));
            for (var c : networks) {
                var range = Flattener.range(c);
                var list = list(c.family());
                var first = BigInteger.valueOf(range.fromHi()).and(MASK64).shiftLeft(64).or(BigInteger.valueOf(range.fromLo()).and(MASK64));
                var last = BigInteger.valueOf(range.toHi()).and(MASK64).shiftLeft(64).or(BigInteger.valueOf(range.toLo()).and(MASK64));
                var max = BigInteger.ONE.shiftLeft(c.family().bits()).subtract(BigInteger.ONE);
                for (var v : new BigInteger[] {first.subtract(BigInteger.ONE), first, last, last.add(BigInteger.ONE)}) {
                    if (v.signum() < 0 || v.compareTo(max) > 0) continue;
                    list.add(new Address(c.family(), c.family() == Family.V4 ? 0 : v.shiftRight(64).longValue(), v.longValue()));
                }
            }
        }

        Flow packet(Random random) {
            var d = random.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND;
            var f = random.nextInt(3) == 0 ? Family.V6 : Family.V4;
            var protocol = randomProtocol(f, random);
            boolean hasPorts = protocol.map(Protocol::hasPorts).orElse(false);
            boolean icmp = protocol.map(Protocol::isIcmp).orElse(false);
            return new Flow(d, f, protocol, Optional.of(pick(list(f), random)),
                    hasPorts ? OptionalInt.of(port(random)) : OptionalInt.empty(), Optional.of(pick(list(f), random)),
                    hasPorts ? OptionalInt.of(port(random)) : OptionalInt.empty(),
                    icmp ? OptionalInt.of(random.nextInt(4) == 0 ? random.nextInt(256) : pick(types, random)) : OptionalInt.empty(),
                    random.nextInt(3) == 0 ? ConnState.ESTABLISHED : ConnState.NEW, random.nextInt(8) == 0);
        }

        private int port(Random random) {
            return random.nextInt(5) == 0 ? random.nextInt(65536) : pick(ports, random);
        }
    }
}
