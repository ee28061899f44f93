package dev.fwpolicy.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DesiredIndexTest {
    private static List<CompiledRule> chain(int n) {
        var rules = new ArrayList<CompiledRule>();
        for (int i = 0; i < n; i++) {
            rules.add(TestRuleSets.make(Family.V4, "FWP-I-x", "-s 10.0.0." + i + "/32", "r" + i, "-j ACCEPT", 0));
        }
        return rules;
    }

    @Test
    void answersThePositionWhateverOrderTheKernelAsksIn() {
        var want = chain(50);
        var random = new Random(7);
        for (int round = 0; round < 200; round++) {
            // Kernel order: mostly in order, with junk, repeats, gaps and jumps back, as damage leaves it.
            var index = new DesiredIndex("FWP-I-x", want);
            int pos = 0;
            for (int step = 0; step < 80; step++) {
                int kind = random.nextInt(10);
                if (kind == 0) {
                    assertThat(index.of("notAnIdOfOurs___")).isEqualTo(-1);
                } else {
                    if (kind == 1) pos = random.nextInt(want.size());
                    if (pos >= want.size()) pos = 0;
                    assertThat(index.of(want.get(pos).id())).isEqualTo(pos);
                    if (kind != 2) pos++; // kind 2: the same id again (a duplicate copy)
                }
            }
        }
    }

    @Test
    void aDesiredChainWithOneIdTwiceIsRefusedWhenTheMapIsNeeded() {
        var want = new ArrayList<>(chain(3));
        want.add(want.get(0));
        var index = new DesiredIndex("FWP-I-x", want);
        assertThatThrownBy(() -> index.of("notAnIdOfOurs___")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("appears twice in FWP-I-x");
    }
}
