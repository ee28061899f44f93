package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.FilterTable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.iptables.ExpectedPrints;
import dev.fwpolicy.engine.iptables.SaveParser;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RuleHit}: counters per desired rule, summed over its copies, and what a sync of the plan starts over. */
class RuleHitTest {
    private static final DetectedBackend NFT = new DetectedBackend(Backend.NFT, "fake", "test");

    /** Every rule line gets {@code [1:10]}, the ones in {@code special} their own counters. */
    private static String counted(String save, Map<String, String> special) {
        var sb = new StringBuilder();
        for (String line : save.split("\n")) {
            if (line.startsWith("-A ")) sb.append(special.getOrDefault(line, "[1:10]")).append(' ');
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static List<RuleHit> hits(RuleSet desired, String text) {
        var table = SaveParser.parse(Family.V4, FilterTable.NAME, text, true);
        var plan = Planner.plan(desired, Family.V4, table, new ExpectedPrints());
        return RuleHit.of(desired, new KernelView(Map.of(Family.V4, table), new Plan(NFT, List.of(plan))));
    }

    private static RuleSet v4(RuleSet set) {
        return new RuleSet(set.chains(Family.V4), set.jumps(Family.V4), set.revision());
    }

    @Test
    void inSyncRulesKeepTheirCountersAndNothingIsRetired() {
        var desired = v4(TestRuleSets.small());
        var hits = hits(desired, counted(TableModel.of(desired, Family.V4).saveText(), Map.of()));
        assertThat(hits).hasSize(desired.ruleCount()).allSatisfy(h -> {
            assertThat(h.counters()).isEqualTo(new Counters(1, 10));
            assertThat(h.retired()).isEqualTo(Counters.ZERO);
        });
    }

    @Test
    void aDuplicateCopysCountersAreSummedAndRetiredAndAMissingRuleHasNone() {
        var desired = v4(TestRuleSets.small());
        var model = TableModel.of(desired, Family.V4);
        var chain = model.rules.get("FWP-I-pol0");
        String first = chain.get(0);
        String missing = chain.remove(1);
        chain.add(first); // a second copy at the end: the planner deletes it
        String dupLine = "-A FWP-I-pol0 " + first;
        var text = counted(model.saveText(), Map.of());
        // the first printed copy keeps [1:10]; the one at the end gets [7:70]
        int last = text.lastIndexOf("[1:10] " + dupLine);
        text = text.substring(0, last) + "[7:70] " + dupLine + text.substring(last + ("[1:10] " + dupLine).length());
        var byId = new java.util.HashMap<String, RuleHit>();
        hits(desired, text).forEach(h -> byId.put(h.rule().id(), h));
        var dup = desired.allRules().filter(r -> RuleSpecs.spec(r).equals(first)).findFirst().orElseThrow();
        assertThat(byId.get(dup.id()).counters()).isEqualTo(new Counters(8, 80));
        assertThat(byId.get(dup.id()).retired()).isEqualTo(new Counters(7, 70));
        var gone = desired.allRules().filter(r -> RuleSpecs.spec(r).equals(missing)).findFirst().orElseThrow();
        assertThat(byId.get(gone.id()).counters()).isEqualTo(Counters.ZERO);
    }

    @Test
    void withoutCountersThereAreNoHits() {
        var desired = v4(TestRuleSets.small());
        var table = SaveParser.parse(Family.V4, FilterTable.NAME, TableModel.of(desired, Family.V4).saveText(), false);
        var plan = Planner.plan(desired, Family.V4, table, new ExpectedPrints());
        assertThat(RuleHit.of(desired, new KernelView(Map.of(Family.V4, table), new Plan(NFT, List.of(plan))))).isEmpty();
    }
}
