package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one family's filter table needs, as the ops of a single restore transaction.
 *
 * @param log     the classifier's statuses for the table (see {@link #drift()})
 * @param written the rules this plan writes (inserted, appended, replaced), by identity;
 *                after the write, what the kernel prints for them is learned
 */
public record FamilyPlan(Family family, List<PlanOp> ops, DriftLog log, Map<String, CompiledRule> written) {

    public FamilyPlan {
        ops = List.copyOf(ops);
        written = Collections.unmodifiableMap(new LinkedHashMap<>(written));
    }

    /**
     * Every rule of fwpolicy's part of the table (and every desired rule or chain it lacks),
     * classified, in kernel order; the ops repair exactly the entries that are drift.
     */
    public List<Drift> drift() {
        return log.all();
    }

    /** Only the entries a sync repairs. */
    public List<Drift> problems() {
        return log.problems();
    }

    /** How many rules or chains have each status (every status present). */
    public Map<DriftStatus, Integer> countsByStatus() {
        return log.counts();
    }

    /** What a sync of this plan changes, counted from its drift. */
    public ChangeCounts counts() {
        return ChangeCounts.of(countsByStatus());
    }

    /** Identities of the rules this plan writes. */
    public Set<String> writtenIds() {
        return written.keySet();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** The exact stdin for {@code iptables-restore --noflush}: one table, one COMMIT. */
    public String payload() {
        var sb = new StringBuilder("*").append(FilterTable.NAME).append('\n');
        for (PlanOp op : ops) sb.append(op.restoreLine()).append('\n');
        return sb.append("COMMIT\n").toString();
    }
}
