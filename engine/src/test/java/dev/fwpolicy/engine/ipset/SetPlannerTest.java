package dev.fwpolicy.engine.ipset;

import static dev.fwpolicy.engine.ipset.MemberDiffTest.cidrs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ipset.SetChange.Kind;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetPlannerTest {
    private static final String A = "fwp-a";
    private static final SetPlanner PLANNER = new SetPlanner(4);

    private static KernelSet want(String... members) {
        return KernelSet.desired(A, Family.V4, cidrs(members), 65536);
    }

    private static KernelSets kernel(String save) {
        return IpsetSaveParser.parse(save);
    }

    private static final String HEADER = "create fwp-a hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1\n";

    @Test
    void missingSetIsCreatedThenFilled() {
        var plan = PLANNER.plan(List.of(want("10.0.0.0/8", "192.0.2.1")), KernelSets.empty(), Set.of());
        assertThat(plan.lines()).containsExactly("create fwp-a hash:net family inet maxelem 65536", "add fwp-a 10.0.0.0/8",
                "add fwp-a 192.0.2.1/32");
        assertThat(plan.changes()).containsExactly(new SetChange(A, Kind.CREATED, 2, 0));
        assertThat(plan.missingMembers()).isEqualTo(2);
    }

    @Test
    void inSyncWritesNothing() {
        var plan = PLANNER.plan(List.of(want("10.0.0.0/8", "192.0.2.1")),
                kernel(HEADER + "add fwp-a 192.0.2.1\nadd fwp-a 10.0.0.0/8\n"), Set.of(A));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.payload()).isEmpty();
        assertThat(plan.changes()).containsExactly(new SetChange(A, Kind.IN_SYNC, 0, 0));
    }

    @Test
    void smallChangeIsAddAndDel() {
        var plan = PLANNER.plan(List.of(want("10.0.0.0/8", "192.0.2.2")),
                kernel(HEADER + "add fwp-a 192.0.2.1\nadd fwp-a 10.0.0.0/8\n"), Set.of(A));
        assertThat(plan.lines()).containsExactly("add fwp-a 192.0.2.2/32", "del fwp-a 192.0.2.1/32");
        assertThat(plan.changes()).containsExactly(new SetChange(A, Kind.EDITED, 1, 1));
    }

    @Test
    void largeChangeIsFilledIntoATwinAndSwapped() {
        var members = new ArrayList<String>();
        for (int i = 0; i < 5; i++) members.add("192.0.2." + (i * 2));
        var plan = PLANNER.plan(List.of(want(members.toArray(String[]::new))), kernel(HEADER + "add fwp-a 10.0.0.0/8\n"), Set.of(A));
        assertThat(plan.lines()).startsWith("create fwp-a.t hash:net family inet maxelem 65536", "add fwp-a.t 192.0.2.0/32")
                .endsWith("add fwp-a.t 192.0.2.8/32", "swap fwp-a fwp-a.t", "destroy fwp-a.t").hasSize(8);
        assertThat(plan.changes()).containsExactly(new SetChange(A, Kind.SWAPPED, 5, 1));
    }

    @Test
    void otherSizeOrOptionsIsRepairedBySwapEvenWhenReferenced() {
        for (String header : List.of(HEADER.replace("maxelem 65536", "maxelem 10"), HEADER.replace("maxelem 65536", "maxelem 65536 comment"))) {
            var plan = PLANNER.plan(List.of(want("10.0.0.0/8")), kernel(header), Set.of(A));
            assertThat(plan.lines()).as(header).containsExactly("create fwp-a.t hash:net family inet maxelem 65536", "add fwp-a.t 10.0.0.0/8",
                    "swap fwp-a fwp-a.t", "destroy fwp-a.t");
            assertThat(plan.changes()).extracting(SetChange::kind).containsExactly(Kind.REPAIRED);
        }
    }

    @Test
    void otherTypeOrFamilyIsRecreatedWhenUnreferencedAndBlockedWhenReferenced() {
        for (String header : List.of(HEADER.replace("hash:net", "hash:ip"), HEADER.replace("family inet", "family inet6"))) {
            var plan = PLANNER.plan(List.of(want("10.0.0.0/8")), kernel(header), Set.of());
            assertThat(plan.lines()).as(header).containsExactly("destroy fwp-a", "create fwp-a hash:net family inet maxelem 65536", "add fwp-a 10.0.0.0/8");
            assertThat(plan.changes()).extracting(SetChange::kind).containsExactly(Kind.RECREATED);

            var blocked = PLANNER.plan(List.of(want("10.0.0.0/8")), kernel(header), Set.of(A));
            assertThat(blocked.lines()).isEmpty();
            assertThat(blocked.problems()).singleElement().asString().contains("fwp-a").contains("references");
            assertThat(blocked.changes()).extracting(SetChange::kind).containsExactly(Kind.BLOCKED);

            // Held only by fwpolicy's own rules: no problem, a release the reconciler carries out.
            var ours = PLANNER.plan(List.of(want("10.0.0.0/8")), kernel(header), Set.of(A), Set.of());
            assertThat(ours.lines()).isEmpty();
            assertThat(ours.problems()).isEmpty();
            assertThat(ours.toRelease()).containsExactly(A);
            assertThat(ours.isEmpty()).as("a release is work to do").isFalse();
        }
    }

    @Test
    void unwantedSetsAreDestroyedOnlyWhenNoRuleReferencesThemAndForeignSetsNever() {
        String save = HEADER + "add fwp-a 10.0.0.0/8\n" + HEADER.replace("fwp-a", "fwp-old") + "add fwp-old 10.0.0.0/8\n"
                + HEADER.replace("fwp-a", "kube-x");
        var referenced = PLANNER.plan(List.of(), kernel(save), Set.of("fwp-old", "kube-x"));
        assertThat(referenced.lines()).containsExactly("destroy fwp-a");
        assertThat(referenced.changes()).extracting(SetChange::name, SetChange::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fwp-a", Kind.DESTROYED), org.assertj.core.groups.Tuple.tuple("fwp-old", Kind.DESTROY_PENDING));
        var free = PLANNER.plan(List.of(), kernel(save), Set.of("kube-x"));
        assertThat(free.lines()).containsExactly("destroy fwp-a", "destroy fwp-old");
    }

    @Test
    void leftoverTwinIsDestroyedBeforeItsNameIsNeeded() {
        var members = new ArrayList<String>();
        for (int i = 0; i < 6; i++) members.add("192.0.2." + (i * 2));
        String save = HEADER + HEADER.replace("fwp-a", "fwp-a.t") + "add fwp-a.t 192.0.2.0\n";
        var plan = PLANNER.plan(List.of(want(members.toArray(String[]::new))), kernel(save), Set.of(A));
        assertThat(plan.lines().get(0)).isEqualTo("destroy fwp-a.t");
        assertThat(plan.lines().subList(1, plan.lines().size())).contains("create fwp-a.t hash:net family inet maxelem 65536")
                .endsWith("swap fwp-a fwp-a.t", "destroy fwp-a.t");
        assertThat(plan.changes()).extracting(SetChange::kind).containsExactly(Kind.TEMPORARY_DESTROYED, Kind.SWAPPED);
    }

    @Test
    void applyingThePlanToTheReadBackGivesTheDesiredSets() {
        // A model of ipset restore over the parsed read-back: the plan must converge in one step.
        var desired = List.of(want("10.0.0.0/8", "192.0.2.1", "192.0.2.9"),
                KernelSet.desired("fwp-b", Family.V6, cidrs("2001:db8::/32"), 65536));
        String save = HEADER + "add fwp-a 10.0.0.0/8\nadd fwp-a 10.9.0.0/16\n" + HEADER.replace("fwp-a", "fwp-gone");
        var kernel = kernel(save);
        var plan = PLANNER.plan(desired, kernel, Set.of());
        var after = RestoreModel.apply(kernel, plan.lines());
        assertThat(PLANNER.plan(desired, after, Set.of()).isEmpty()).as("second plan after " + plan.lines()).isTrue();
        assertThat(after.owned().keySet()).containsExactlyInAnyOrder("fwp-a", "fwp-b");
    }

    /** Just enough of ipset restore's semantics to check a plan converges, failing on what the real tool rejects. */
    static final class RestoreModel {
        static KernelSets apply(KernelSets kernel, List<String> lines) {
            var sets = new java.util.LinkedHashMap<String, KernelSet>(kernel.owned());
            for (String line : lines) {
                var w = line.split(" ");
                switch (w[0]) {
                    case "create" -> {
                        if (sets.containsKey(w[1])) throw new AssertionError("exists: " + line);
                        var fam = w[4].equals("inet") ? Family.V4 : Family.V6;
                        sets.put(w[1], new KernelSet(w[1], SetShape.hashNet(fam, Long.parseLong(w[6])), List.of()));
                    }
                    case "add", "del" -> {
                        var s = sets.get(w[1]);
                        var m = new ArrayList<>(s.members());
                        Cidr c = Cidr.parseStrict(w[2]).orElseThrow();
                        if (w[0].equals("add") ? m.contains(c) : !m.contains(c)) throw new AssertionError("element state: " + line);
                        if (w[0].equals("add")) m.add(c); else m.remove(c);
                        sets.put(w[1], new KernelSet(w[1], s.shape(), m));
                    }
                    case "swap" -> {
                        var x = sets.get(w[1]);
                        var y = sets.get(w[2]);
                        sets.put(w[1], new KernelSet(w[1], y.shape(), y.members()));
                        sets.put(w[2], new KernelSet(w[2], x.shape(), x.members()));
                    }
                    case "destroy" -> {
                        if (sets.remove(w[1]) == null) throw new AssertionError("no such set: " + line);
                    }
                    default -> throw new AssertionError(line);
                }
            }
            return new KernelSets(sets, kernel.foreign(), "");
        }
    }
}
