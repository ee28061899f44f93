package dev.fwpolicy.engine.eval;
import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.iptables.ChainNames;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ipset.IpsetSaveParser;
import dev.fwpolicy.engine.ipset.KernelSet;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.SetPlanner;
import dev.fwpolicy.engine.ipset.SetShape;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import dev.fwpolicy.engine.iptables.ExpectedPrints;
import dev.fwpolicy.engine.iptables.SaveParser;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.reconcile.KernelView;
import dev.fwpolicy.engine.reconcile.Plan;
import dev.fwpolicy.engine.reconcile.Planner;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.KernelSkipHook;
import dev.fwpolicy.engine.testing.KernelTestGuard;
import dev.fwpolicy.engine.testing.NetnsPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Invariant 8, "the model is the kernel": for generated policies, real packets sent between
 * two network namespaces must be decided by the rule the evaluator names, with the verdict
 * it names. The server namespace holds the policy; after every single packet the test
 * reads the packet counters of fwpolicy's rules ({@code iptables-save -c}, found by their
 * fwp1 hashes) and requires that exactly the rules the evaluator says matched (jumps, logs,
 * the deciding rule) moved by one, and nothing else on that side. The client's observation
 * (answer, timeout, refusal, EPERM) must fit the verdict too.
 *
 * <p>Only fwpolicy's rules are in the policy's chains; two foreign rules the test puts first
 * in INPUT and OUTPUT let established traffic and IPv6 neighbour discovery bypass them, so
 * the counters see exactly one NEW packet per flow (the answers to an accepted packet would
 * otherwise walk the chains again).
 */
@Tag("kernel")
@AddLifecycleHook(KernelSkipHook.class)
class KernelDifferentialTest {
    static final int POLICIES = 55;
    static final int FLOWS_PER_POLICY = 20;
    static final int SOURCE_PORTS_PER_POLICY = FLOWS_PER_POLICY + 5;

    static NetnsPair net;
    static NetnsPair.Agent sender; // in the client: inbound flows
    static NetnsPair.Agent serverSender; // in the server: outbound flows
    static final Map<String, Integer> totals = new TreeMap<>();

    @BeforeContainer
    static void setUp() throws Exception {
        KernelTestGuard.require();
        net = new NetnsPair();
        var serverCmds = new ArrayList<String>();
        for (var a : PolicyGenerator.SERVER_V4) serverCmds.add("addr add " + a + "/24 dev fwps");
        for (var a : PolicyGenerator.SERVER_V6) serverCmds.add("addr add " + a + "/64 dev fwps nodad");
        serverCmds.add("route add 198.51.100.0/24 dev fwps");
        serverCmds.add("route add 2001:db8:1::/64 dev fwps");
        net.ipBatch(net.server, serverCmds);
        var clientCmds = new ArrayList<String>();
        for (var a : PolicyGenerator.CLIENT_V4) clientCmds.add("addr add " + a + "/24 dev fwpc");
        for (var a : PolicyGenerator.CLIENT_V6) clientCmds.add("addr add " + a + "/64 dev fwpc nodad");
        net.ipBatch(net.client, clientCmds);
        Path agent = Path.of(KernelDifferentialTest.class.getResource("/eval/flowagent.py").toURI());
        var ports = java.util.Arrays.stream(PolicyGenerator.SERVICE_PORTS).mapToObj(Integer::toString).toArray(String[]::new);
        for (var ns : List.of(net.server, net.client)) {
            assertThat(net.agent(ns, agent, prepend("listen", ports)).readLine()).isEqualTo("listening");
        }
        sender = net.agent(net.client, agent, "send");
        serverSender = net.agent(net.server, agent, "send");
    }

    private static String[] prepend(String first, String[] rest) {
        var out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    @AfterContainer
    static void tearDown() {
        if (net != null) net.close();
        System.out.println("kernel differential test: " + totals);
        // Kernel sets must be reached through the compiler too, not only in policies built from IR.
        for (String backend : List.of("nft", "legacy")) {
            if (totals.getOrDefault(backend + " compiled policies", 0) >= 10) {
                assertThat(totals.getOrDefault(backend + " compiled policies with kernel sets", 0))
                        .as(backend + " compiled policies with kernel sets").isPositive();
            }
        }
    }

    @Property(tries = POLICIES, shrinking = ShrinkingMode.OFF)
    void nftBackendAgreesWithTheEvaluator(@ForAll long seed) {
        check("nft", seed);
    }

    @Property(tries = POLICIES, shrinking = ShrinkingMode.OFF)
    void legacyBackendAgreesWithTheEvaluator(@ForAll long seed) {
        check("legacy", seed);
    }

    private static int policyIndex;

    private void check(String backend, long seed) {
        int block = policyIndex++ % 1000;
        int low = PolicyGenerator.SOURCE_PORT_BASE + block * SOURCE_PORTS_PER_POLICY;
        var gen = new PolicyGenerator(seed, low, low + SOURCE_PORTS_PER_POLICY - 1).withKernelSets();
        // Every other policy goes through the real compiler (policy text → lowering → its
        // rendering); the rest are built straight from IR, which reaches shapes the language
        // cannot write (e.g. tcp-reset, per-family rules without addresses).
        String text = null;
        RuleSet rs;
        if (block % 2 == 1) {
            text = gen.policyText();
            var result = new Compiler().compile(List.of(new SourceFile("gen.fwpolicy", text)));
            if (result.hasErrors()) throw new AssertionError("generated policy does not compile:\n" + text + "\n" + result.diagnostics());
            rs = result.ruleSet().orElseThrow();
        } else {
            rs = gen.policy();
        }
        load(backend, rs);
        var evaluator = new Evaluator(rs);
        var before = new HashMap<Family, Map<String, Long>>();
        for (var f : Family.values()) before.put(f, counters(save(backend, f)));
        int flows = 0;
        for (int i = 0; i < FLOWS_PER_POLICY; i++) {
            // One flow in ten stays inside the server over lo: it leaves through OUTPUT (-o lo)
            // and comes back in through INPUT (-i lo), so both sides' loopback rules must count it.
            boolean overLoopback = i % 10 == 9;
            Flow flow = overLoopback ? gen.loopbackFlow() : gen.flow(rs);
            var decision = evaluator.evaluate(flow);
            var inbound = overLoopback ? Optional.of(evaluator.evaluate(flow.reversedDirection())) : Optional.<Decision>empty();
            String observed = (flow.direction() == Direction.INBOUND ? sender : serverSender).request(json(flow, gen));
            String dump = save(backend, flow.family());
            var after = counters(dump);
            var moved = moved(before.get(flow.family()), after, rs, flow);
            if (overLoopback) moved.putAll(moved(before.get(flow.family()), after, rs, flow.reversedDirection()));
            before.put(flow.family(), after);
            var expected = decision.matchedRules().stream().map(CompiledRule::id).collect(Collectors.toSet());
            inbound.ifPresent(in -> in.matchedRules().forEach(r -> expected.add(r.id())));
            // An audit log rule counts only the packets its rate limit lets it log: it may or may not
            // move. Every other matched rule (the return or accept that counts the would-deny too) must.
            var rateLimited = rs.allRules().filter(r -> r.target() instanceof Target.AuditLog).map(CompiledRule::id)
                    .collect(Collectors.toSet());
            if (!expected.containsAll(moved.keySet().stream().filter(rateLimited::contains).toList())) {
                throw new AssertionError("an audit log rule the evaluator did not pass moved: " + moved + " for " + flow);
            }
            expected.removeAll(rateLimited);
            moved.keySet().removeAll(rateLimited);
            if (!decision.audit().isEmpty()) totals.merge(backend + " flows with a would-deny", 1, Integer::sum);
            if (inbound.isPresent() && inbound.get().verdict() != Verdict.ALLOW) {
                throw new AssertionError("the loopback rule must let " + flow + " back in:\n" + inbound.get().explain());
            }
            var kernelRuleSet = kernelModel(rs, flow.family(), dump, kernelSets());
            var kernelDecision = kernelRuleSet.evaluator().decide(flow);
            boolean countersAgree = moved.equals(expected.stream().collect(Collectors.toMap(id -> id, id -> 1L)));
            boolean outcomeAgrees = expectedOutcomes(decision).contains(observed);
            totals.merge(flow.direction().keyword() + " " + flow.protocol().orElseThrow().keyword() + " " + decision.verdict() + " -> " + observed, 1, Integer::sum);
            boolean readBackAgrees = kernelRuleSet.drift().isEmpty() && kernelRuleSet.unmodelled().isEmpty() && kernelRuleSet.setDrift().isEmpty() && kernelDecision.ruleId().equals(decision.ruleId());
            if (!countersAgree || !outcomeAgrees || !readBackAgrees) {
                throw new AssertionError("model and kernel disagree (" + backend + ", seed " + seed + ")\n"
                        + "flow: " + flow + "\n"
                        + "evaluator: " + decision.verdict() + " by rule " + decision.ruleId().orElse("-") + " " + decision.location()
                        + "\n  expected counters to move (+1 each): " + describe(rs, expected)
                        + "\nkernel: client saw '" + observed + "' (expected one of " + expectedOutcomes(decision) + ")"
                        + "\n  counters that moved: " + moved + " = " + describe(rs, moved.keySet())
                        + "\n  read-back drift: " + kernelRuleSet.drift() + ", read-back decision " + kernelDecision.ruleId()
                        + "\n\n" + decision.explain()
                        + (text == null ? "" : "\npolicy source:\n" + text)
                        + "\npolicy (" + flow.family().label() + "):\n" + RestoreRenderer.render(rs, flow.family()));
            }
            flows++;
            if (overLoopback) totals.merge(backend + " loopback flows", 1, Integer::sum);
        }
        totals.merge(backend + " policies", 1, Integer::sum);
        if (!rs.sets().isEmpty()) totals.merge(backend + " policies with kernel sets", 1, Integer::sum);
        totals.merge(backend + " set-matched rules", (int) rs.allRules().filter(r -> r.match().source().flatMap(a -> a.set()).isPresent()
                || r.match().destination().flatMap(a -> a.set()).isPresent()).count(), Integer::sum);
        totals.merge(backend + " flows", flows, Integer::sum);
        if (text != null) totals.merge(backend + " compiled policies", 1, Integer::sum);
        if (text != null && !rs.sets().isEmpty()) totals.merge(backend + " compiled policies with kernel sets", 1, Integer::sum);
    }

    /**
     * What the sender sees for each verdict. Inbound is unambiguous: an answer, silence, or a
     * refusal. A packet stopped in the sender's own OUTPUT chain fails the send syscall
     * with EPERM instead, except TCP, where the kernel swallows that error and the connect
     * times out (DROP) or is refused by the RST / ICMP error REJECT delivers locally. IPv6
     * TCP treats an ICMPv6 port-unreachable during the handshake as a soft error: the
     * connect goes on waiting, so that REJECT looks like a DROP to the sender (the counters
     * still tell them apart).
     */
    static Set<String> expectedOutcomes(Decision d) {
        var flow = d.flow();
        boolean out = flow.direction() == Direction.OUTBOUND;
        boolean tcp = flow.protocol().orElseThrow() == Protocol.TCP;
        boolean icmp6RejectOfTcp = tcp && flow.family() == Family.V6
                && d.rule().map(r -> r.target() instanceof Target.Reject rj && rj.how() != Target.Reject.How.TCP_RESET).orElse(false);
        return switch (d.verdict()) {
            case ALLOW -> Set.of("ok");
            case REJECT -> icmp6RejectOfTcp ? Set.of("timeout") : out && !tcp ? Set.of("eperm") : Set.of("refused");
            case DENY -> out && !tcp ? Set.of("eperm") : Set.of("timeout");
        };
    }

    private static String describe(RuleSet rs, Set<String> ids) {
        var byId = rs.byId();
        return ids.stream().map(id -> byId.containsKey(id) ? RuleSpecs.saveLine(byId.get(id)) : id).sorted()
                .collect(Collectors.joining("\n    ", "\n    ", ""));
    }

    private static String json(Flow f, PolicyGenerator gen) {
        String proto = f.protocol().orElseThrow() == Protocol.TCP ? "tcp" : f.protocol().get() == Protocol.UDP ? "udp" : "icmp";
        var sb = new StringBuilder("{\"proto\":\"").append(proto).append("\",\"src\":\"").append(f.source().orElseThrow())
                .append("\",\"dst\":\"").append(f.destination().orElseThrow()).append('"');
        if (f.sourcePort().isPresent()) sb.append(",\"sport\":").append(f.sourcePort().getAsInt());
        if (f.destinationPort().isPresent()) sb.append(",\"dport\":").append(f.destinationPort().getAsInt());
        if (f.icmpType().isPresent()) sb.append(",\"type\":").append(f.icmpType().getAsInt()).append(",\"id\":").append(gen.nextIcmpId());
        return sb.append(",\"timeout\":0.25}").toString();
    }

    /** Rules on the flow's side (the built-in chain's jumps and the chains below it) whose packet counter changed. */
    private static Map<String, Long> moved(Map<String, Long> before, Map<String, Long> after, RuleSet rs, Flow flow) {
        var side = rs.allRules().filter(r -> r.family() == flow.family() && onSide(r.chain(), flow.direction()))
                .map(CompiledRule::id).collect(Collectors.toSet());
        var out = new TreeMap<String, Long>();
        for (var e : after.entrySet()) {
            long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (delta != 0 && (side.contains(e.getKey()) || !rs.byId().containsKey(e.getKey()))) out.put(e.getKey(), delta);
        }
        return out;
    }

    static boolean onSide(String chain, Direction d) {
        return chain.equals(ChainNames.builtin(d)) || chain.equals("FWP-" + ChainNames.builtin(d)) || chain.startsWith("FWP-" + ChainNames.letter(d) + "-");
    }

    private static Map<String, Long> counters(String dump) {
        var out = new HashMap<String, Long>();
        var table = SaveParser.parse(Family.V4, FilterTable.NAME, dump, true);
        for (var chain : table.chains().values()) {
            for (var r : chain.rules()) r.id().ifPresent(id -> out.merge(id, table.counters().of(r).orElseThrow().packets(), Long::sum));
        }
        return out;
    }

    /** The kernel model every view uses: one parse of the read-back, classified by the planner. */
    static KernelModel kernelModel(RuleSet desired, Family family, String dump) {
        return kernelModel(desired, family, dump, KernelSets.empty());
    }

    /** As above, with the kernel's sets ({@code ipset save}) so set-matched rules are modelled. */
    static KernelModel kernelModel(RuleSet desired, Family family, String dump, KernelSets sets) {
        var table = SaveParser.parse(family, FilterTable.NAME, dump);
        var plan = Planner.plan(desired, family, table, new ExpectedPrints());
        // The sets as the kernel holds them, classified by the reconciler's set planner.
        var desiredSets = desired.sets().stream().filter(x -> x.family() == family)
                .map(x -> KernelSet.desired(x.name(), x.family(), x.members(), SetShape.DEFAULT_MAX_ELEMENTS)).toList();
        var owned = new java.util.LinkedHashMap<String, KernelSet>();
        sets.owned().forEach((name, set) -> {
            if (desiredSets.stream().anyMatch(d -> d.name().equals(name))) owned.put(name, set);
        });
        var setPlan = new SetPlanner().plan(desiredSets, new KernelSets(owned, List.of(), ""), Set.copyOf(owned.keySet()));
        var view = new KernelView(Map.of(family, table),
                new Plan(new DetectedBackend(Backend.NFT, "test", "test"), List.of(plan), setPlan), sets);
        return KernelModel.of(view, Set.of(family));
    }

    private static String save(String backend, Family f) {
        String tool = (f == Family.V4 ? "iptables-" : "ip6tables-") + backend + "-save";
        return net.exec(net.server, null, tool, "-c", "-t", "filter");
    }

    /**
     * Replaces the server's whole filter table (it is the test's own namespace): the two
     * foreign bypass rules first, then the policy's chains and jumps, as one restore per family.
     * The other backend's tables are emptied so only one backend ever sees the packets.
     */
    private static KernelSets kernelSets() {
        return IpsetSaveParser.parse(net.exec(net.server, null, "ipset", "save"));
    }

    /**
     * The policy's kernel sets, by the same planner the reconciler uses: created before the
     * rules that name them (every earlier set is still named by the old rules then), and the
     * earlier policies' sets destroyed once the new rules replaced the old.
     */
    private static void loadSets(RuleSet rs, boolean rulesReplaced) {
        var desired = rs.sets().stream().map(s -> KernelSet.desired(s.name(), s.family(), s.members(), SetShape.DEFAULT_MAX_ELEMENTS)).toList();
        var kernel = kernelSets();
        var plan = new SetPlanner().plan(desired, kernel, rulesReplaced ? Set.of() : kernel.owned().keySet());
        if (!plan.isEmpty()) net.exec(net.server, plan.payload(), "ipset", "restore");
    }

    private static void load(String backend, RuleSet rs) {
        loadSets(rs, false);
        loadRules(backend, rs);
        loadSets(rs, true);
    }

    private static void loadRules(String backend, RuleSet rs) {
        String other = backend.equals("nft") ? "legacy" : "nft";
        for (var f : Family.values()) {
            String prefix = f == Family.V4 ? "iptables-" : "ip6tables-";
            // The policy's own payload, with the built-in chains reset and the two bypass
            // rules put in front of the jumps it appends.
            String payload = RestoreRenderer.render(rs, f);
            var sb = new StringBuilder();
            boolean bypassWritten = false;
            for (String line : payload.split("\n")) {
                if (line.startsWith("-A ") && !bypassWritten) {
                    bypassWritten = true;
                    appendBypass(sb, f);
                }
                sb.append(line).append('\n');
                if (line.equals("*filter")) sb.append(":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
            }
            net.exec(net.server, sb.toString(), prefix + backend + "-restore");
            net.exec(net.server, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n",
                    prefix + other + "-restore");
        }
    }

    private static void appendBypass(StringBuilder sb, Family f) {
        for (var chain : List.of("INPUT", "OUTPUT")) {
            sb.append("-A ").append(chain).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            if (f == Family.V6) {
                for (int type : new int[] {133, 134, 135, 136, 143}) {
                    sb.append("-A ").append(chain).append(" -p ipv6-icmp -m icmp6 --icmpv6-type ").append(type).append(" -j ACCEPT\n");
                }
            }
        }
    }
}
