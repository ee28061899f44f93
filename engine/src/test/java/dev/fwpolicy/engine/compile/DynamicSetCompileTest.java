package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.Endpoint;
import dev.fwpolicy.engine.cluster.EndpointSlice;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.cluster.PodPhase;
import dev.fwpolicy.engine.cluster.Service;
import dev.fwpolicy.engine.diag.Severity;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.ipset.SetNames;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Dynamic sets compiled with a cluster snapshot: kernel sets whose members are the only thing that changes. */
class DynamicSetCompileTest {
    static final String POLICY = """
            policy db {
              default inbound deny
              set frontend = pods "app=frontend" in shop
              set peers    = pods "tier=web"
              set api      = service shop/api
              set office   = { $frontend, 192.168.10.0/24 }

              inbound {
                allow tcp from 10.0.0.0/8 to port 22
                allow tcp from $office to port 5432 "frontend and office"
                allow tcp from $peers to port 8080
                allow tcp from not $frontend to port 9000
              }
              outbound {
                allow tcp to $api port 443
              }
            }
            """;

    static Address ip(String text) {
        return Address.parse(text).orElseThrow();
    }

    static Pod pod(String ns, String name, Map<String, String> labels, String... ips) {
        return new Pod(new ObjectRef(ns, name), labels, List.of(ips).stream().map(DynamicSetCompileTest::ip).toList(), false,
                PodPhase.RUNNING, List.of());
    }

    static ClusterSnapshot snapshot(List<Pod> pods, String... endpoints) {
        var slice = new EndpointSlice(new ObjectRef("shop", "api-x1"), Optional.of("api"),
                List.of(endpoints).stream().map(e -> new Endpoint(List.of(ip(e)), Optional.empty())).toList());
        var api = new Service(new ObjectRef("shop", "api"), Map.of("app", "api"), List.of(ip("10.96.0.10"), ip("fd00:96::10")));
        return new ClusterSnapshot(pods, List.of(new Namespace("shop", Map.of()), new Namespace("team", Map.of())), List.of(api),
                List.of(slice));
    }

    static final ClusterSnapshot ONE = snapshot(List.of(
            pod("shop", "frontend-a", Map.of("app", "frontend"), "10.1.0.7"),
            pod("team", "web-a", Map.of("tier", "web"), "10.2.0.1", "fd00:2::1")), "10.3.0.1");
    /** Relabelled, added, deleted: frontend-a is gone, two others joined (one dual-stack); the endpoint moved. */
    static final ClusterSnapshot TWO = snapshot(List.of(
            pod("shop", "frontend-a", Map.of("app", "backend"), "10.1.0.7"),
            pod("shop", "frontend-b", Map.of("app", "frontend"), "10.1.0.8", "fd00:1::8"),
            pod("shop", "frontend-c", Map.of("app", "frontend"), "10.1.0.20"),
            pod("team", "web-a", Map.of("tier", "web"), "10.2.0.1", "fd00:2::1")), "10.3.0.2", "fd00:3::2");

    static CompileResult compile(String text, ClusterInput cluster) {
        return new Compiler().compile(List.of(new SourceFile("db.fwpolicy", text)), cluster);
    }

    static RuleSet ruleSet(ClusterSnapshot snapshot) {
        var r = compile(POLICY, ClusterInput.of(snapshot, "team"));
        assertThat(r.diagnostics()).isEmpty();
        return r.ruleSet().orElseThrow();
    }

    static NetworkSet set(RuleSet rs, String name, Family family) {
        return rs.sets().stream().filter(s -> s.set().equals(name) && s.family() == family).findFirst().orElseThrow();
    }

    static List<String> lines(RuleSet rs) {
        return rs.allRules().map(r -> r.family() + " " + RuleSpecs.saveLine(r)).toList();
    }

    @Test
    void anotherSnapshotChangesSetMembersOnlyNeverARuleOrItsIdentity() {
        var one = ruleSet(ONE);
        var two = ruleSet(TWO);
        assertThat(lines(two)).isEqualTo(lines(one));
        assertThat(two.allRules().map(CompiledRule::id).toList()).isEqualTo(one.allRules().map(CompiledRule::id).toList());
        assertThat(two.sets().stream().map(NetworkSet::name).toList()).isEqualTo(one.sets().stream().map(NetworkSet::name).toList());
        assertThat(two.sets()).isNotEqualTo(one.sets());

        assertThat(set(one, "office", Family.V4).members()).extracting(Cidr::toString)
                .containsExactly("10.1.0.7/32", "192.168.10.0/24");
        assertThat(set(two, "office", Family.V4).members()).extracting(Cidr::toString)
                .containsExactly("10.1.0.8/32", "10.1.0.20/32", "192.168.10.0/24");
        assertThat(set(one, "office", Family.V6).members()).isEmpty();
        assertThat(set(two, "office", Family.V6).members()).extracting(Cidr::toString).containsExactly("fd00:1::8/128");
        assertThat(set(one, "api", Family.V6).members()).as("the ClusterIP only").extracting(Cidr::toString).containsExactly("fd00:96::10/128");
        assertThat(set(two, "api", Family.V4).members()).extracting(Cidr::toString).containsExactly("10.3.0.2/32", "10.96.0.10/32");
    }

    @Test
    void everyDynamicSetIsAKernelSetInBothFamiliesWhateverItsSizeEvenEmpty() {
        var rs = ruleSet(ClusterSnapshot.EMPTY);
        for (var name : List.of("office", "peers", "api", "frontend")) {
            for (var family : Family.values()) {
                var s = set(rs, name, family);
                assertThat(s.name()).isEqualTo(SetNames.of("db", name, family));
                assertThat(s.isDynamic()).isTrue();
            }
        }
        assertThat(set(rs, "office", Family.V6).members()).isEmpty();
        var v6 = rs.chain(Family.V6, "FWP-I-db").orElseThrow().rules().stream().map(RuleSpecs::spec).toList();
        assertThat(v6).anySatisfy(s -> assertThat(s).contains("-m set --match-set " + SetNames.of("db", "office", Family.V6) + " src"))
                .anySatisfy(s -> assertThat(s).contains("-m set ! --match-set " + SetNames.of("db", "frontend", Family.V6) + " src"));
        var out = rs.chain(Family.V4, "FWP-O-db").orElseThrow().rules();
        assertThat(out).singleElement().satisfies(r -> assertThat(RuleSpecs.spec(r))
                .contains("-m set --match-set " + SetNames.of("db", "api", Family.V4) + " dst"));
    }

    @Test
    void aPodWithoutNamespaceIsLookedUpInTheOwnNamespace() {
        var inTeam = ruleSet(ONE);
        assertThat(set(inTeam, "peers", Family.V4).members()).extracting(Cidr::toString).containsExactly("10.2.0.1/32");
        var elsewhere = compile(POLICY, ClusterInput.of(ONE, "shop")).ruleSet().orElseThrow();
        assertThat(set(elsewhere, "peers", Family.V4).members()).isEmpty();
    }

    @Test
    void theExplanationNamesTheSetItsSelectorAndThePod() {
        var evaluator = new Evaluator(ruleSet(TWO));
        var decision = evaluator.evaluate(Flow.ports(Direction.INBOUND, Protocol.TCP, ip("10.1.0.20"), 40000, ip("10.9.9.9"), 5432));
        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(decision.setMatches()).singleElement().asString()
                .contains("$office")
                .contains("$frontend (pods \"app=frontend\" in shop)")
                .contains("pod shop/frontend-c");
        assertThat(decision.explain()).contains("pod shop/frontend-c");

        var relabelled = evaluator.evaluate(Flow.ports(Direction.INBOUND, Protocol.TCP, ip("10.1.0.7"), 40000, ip("10.9.9.9"), 5432));
        assertThat(relabelled.verdict()).isEqualTo(Verdict.DENY);
        assertThat(relabelled.explain()).contains("10.1.0.7 is not in $office (kernel set " + SetNames.of("db", "office", Family.V4)
                + ", follows $frontend (pods \"app=frontend\" in shop))");
        var before = new Evaluator(ruleSet(ONE))
                .evaluate(Flow.ports(Direction.INBOUND, Protocol.TCP, ip("10.1.0.7"), 40000, ip("10.9.9.9"), 5432));
        assertThat(before.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void withoutASnapshotAUsedDynamicSetIsAnErrorNamingTheFlag() {
        var r = compile(POLICY, ClusterInput.NONE);
        assertThat(r.ruleSet()).isEmpty();
        assertThat(r.diagnostics()).extracting(d -> d.code()).containsOnly("no-cluster-state").hasSize(4);
        assertThat(r.diagnostics()).allSatisfy(d -> assertThat(d.message()).contains("--cluster-state FILE"));
        assertThat(new Compiler().compile(List.of(new SourceFile("db.fwpolicy", POLICY)))).satisfies(same ->
                assertThat(same.diagnostics()).isEqualTo(r.diagnostics()));
    }

    @Test
    void checkWithoutMembersNotesThemUnknownAndStillBuildsTheSameRules() {
        var r = compile(POLICY, ClusterInput.unknownMembers("team"));
        assertThat(r.diagnostics()).extracting(d -> d.code()).containsOnly("members-unknown");
        assertThat(r.diagnostics()).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.NOTE));
        // One note per set, not one per use or family: $frontend is used once directly, $office holds it.
        assertThat(r.diagnostics()).hasSize(4);
        assertThat(lines(r.ruleSet().orElseThrow())).isEqualTo(lines(ruleSet(ONE)));
    }

    @Test
    void aDynamicSetInsideAListIsAnErrorAskingForADeclaredSet() {
        var text = POLICY.replace("allow tcp from $peers to port 8080", "allow tcp from { $peers, 10.0.0.1 } to port 8080");
        var r = compile(text, ClusterInput.of(ONE, "team"));
        assertThat(r.ruleSet()).isEmpty();
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("dynamic-set-in-list");
            assertThat(d.message()).contains("$peers").contains("declare the list as a set");
            assertThat(d.span().line()).isEqualTo(11);
        });
    }

    @Test
    void membersNeverMakeAShadowingWarning() {
        // 10.0.0.0/8 holds every member of $frontend today; tomorrow it may not.
        var text = """
                policy p {
                  set frontend = pods "app=frontend" in shop
                  inbound {
                    allow tcp from 10.0.0.0/8 to port 5432
                    allow tcp from $frontend to port 5432
                  }
                }
                """;
        var r = compile(text, ClusterInput.of(ONE, "shop"));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.ruleSet()).isPresent();
    }

    @Test
    void checkWithoutMembersJudgesOnlyTheExpectationsMembersCannotChange() {
        var text = POLICY + """
                test db {
                  expect allow inbound tcp from 192.168.10.7 to port 5432
                  expect allow inbound tcp from 10.1.0.7 to port 5432
                  expect deny inbound tcp from 10.1.0.7 to port 9999
                  expect allow inbound tcp from 192.168.10.7 to port 22
                }
                """;
        var sources = List.of(new SourceFile("db.fwpolicy", text));
        var unknown = new dev.fwpolicy.engine.eval.PolicyCheck(new Compiler(), dev.fwpolicy.engine.eval.LockoutGuard.NONE,
                () -> ClusterInput.unknownMembers("team")).check(sources);
        // 192.168.10.7 is written in $office: judged, passes. 10.1.0.7 to 5432 might be a frontend pod: not
        // judged. Port 9999 matches no rule whoever the pods are: judged. Port 22 needs 10.0.0.0/8: fails.
        // (Lines: the policy has 17, the test block starts at 18.)
        assertThat(unknown.diagnostics()).filteredOn(d -> d.code().equals("expectation-unknown")).singleElement()
                .satisfies(d -> {
                    assertThat(d.span().line()).isEqualTo(20);
                    assertThat(d.severity()).isEqualTo(Severity.NOTE);
                    assertThat(d.message()).contains("$office");
                });
        assertThat(unknown.diagnostics()).filteredOn(d -> d.isError()).singleElement()
                .satisfies(d -> assertThat(d.span().line()).isEqualTo(22));

        var known = new dev.fwpolicy.engine.eval.PolicyCheck(new Compiler(), dev.fwpolicy.engine.eval.LockoutGuard.NONE,
                () -> ClusterInput.of(ONE, "team")).check(sources);
        assertThat(known.diagnostics()).extracting(d -> d.code()).containsExactly("expectation-failed");
        var rolledOut = new dev.fwpolicy.engine.eval.PolicyCheck(new Compiler(), dev.fwpolicy.engine.eval.LockoutGuard.NONE,
                () -> ClusterInput.of(TWO, "team")).check(sources);
        assertThat(rolledOut.diagnostics()).extracting(d -> d.span().line()).containsExactly(20, 22);
    }

    @Test
    void outboundToAServiceMatchesItsClusterIpAsThePodSeesIt() {
        var evaluator = new Evaluator(ruleSet(ONE));
        var toClusterIp = evaluator.evaluate(Flow.ports(Direction.OUTBOUND, Protocol.TCP, ip("10.2.0.1"), 40000, ip("10.96.0.10"), 443));
        assertThat(toClusterIp.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(toClusterIp.setMatches()).singleElement().asString().contains("$api (service shop/api), ClusterIP of service shop/api");
        var toEndpoint = evaluator.evaluate(Flow.ports(Direction.OUTBOUND, Protocol.TCP, ip("10.2.0.1"), 40000, ip("10.3.0.1"), 443));
        assertThat(toEndpoint.setMatches()).singleElement().asString().contains("an endpoint that names no pod");
    }
}
