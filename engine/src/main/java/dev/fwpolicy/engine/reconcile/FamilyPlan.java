package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.List;
import java.util.Set;

/**
 * Everything one family's filter table needs, as the ops of a single restore transaction.
 *
 * @param writtenIds identities of the rules this plan writes (inserted, appended, replaced);
 *                   after the write, what the kernel prints for them is learned
 */
public record FamilyPlan(Family family, List<PlanOp> ops, ChangeCounts counts, List<Change> changes,
                         Set<String> writtenIds) {

    public FamilyPlan {
        ops = List.copyOf(ops);
        changes = List.copyOf(changes);
        writtenIds = Set.copyOf(writtenIds);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** The exact stdin for {@code iptables-restore --noflush}: one table, one COMMIT. */
    public String payload() {
        var sb = new StringBuilder("*").append(RuleSet.TABLE).append('\n');
        for (PlanOp op : ops) sb.append(op.restoreLine()).append('\n');
        return sb.append("COMMIT\n").toString();
    }
}
