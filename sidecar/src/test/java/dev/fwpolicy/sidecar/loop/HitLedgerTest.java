package dev.fwpolicy.sidecar.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.reconcile.RuleHit;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Running totals across syncs: what the kernel starts over (repairs, resets) is kept, nothing is counted twice. */
class HitLedgerTest {
    private final CompiledRule rule = TestPolicies.compile(TestPolicies.WEB).allRules().filter(r -> r.origin().policy().isPresent())
            .findFirst().orElseThrow();
    private final HitLedger ledger = new HitLedger(Instant.EPOCH);

    private HitTotals.Rule read(long packets, long retired) {
        var t = ledger.update(List.of(new RuleHit(rule, new Counters(packets, 10 * packets), new Counters(retired, 10 * retired))),
                Instant.EPOCH);
        return t.rules().get(0);
    }

    @Test
    void countsSinceStartFromWhatTheFirstReadFound() {
        assertThat(read(40, 0).sinceStart()).isEqualTo(Counters.ZERO);
        var r = read(45, 0);
        assertThat(r.total()).isEqualTo(new Counters(45, 450));
        assertThat(r.sinceStart()).isEqualTo(new Counters(5, 50));
    }

    @Test
    void whatARepairStartsOverIsKeptAndNotCountedTwice() {
        read(10, 0);
        // a duplicate copy holding 3 of the 12 is deleted by this sync
        assertThat(read(12, 3).total()).isEqualTo(new Counters(12, 120));
        // next read: the kept copy's 9 plus 1 new packet
        assertThat(read(10, 0).total()).isEqualTo(new Counters(13, 130));
    }

    @Test
    void aResetSomeoneElseDidKeepsTheLastValue() {
        read(10, 0);
        assertThat(read(2, 0).total()).isEqualTo(new Counters(12, 120));
        assertThat(read(5, 0).total()).isEqualTo(new Counters(15, 150));
    }

    @Test
    void aReadWithoutCountersChangesNothingAndForgottenRulesStartAfresh() {
        read(10, 0);
        assertThat(ledger.update(List.of(), Instant.EPOCH).rules()).hasSize(1);
        var other = TestPolicies.compile(TestPolicies.WEB).allRules().filter(r -> !r.id().equals(rule.id())).findFirst().orElseThrow();
        ledger.update(List.of(new RuleHit(other, Counters.ZERO, Counters.ZERO)), Instant.EPOCH);
        assertThat(read(10, 0).sinceStart()).as("seen again: a new start").isEqualTo(Counters.ZERO);
    }
}
