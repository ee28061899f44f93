package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.ir.RuleSet;
import java.time.Instant;
import java.util.List;

/**
 * A policy that compiled: the rule set the loop keeps in the kernel.
 *
 * @param files    the source names it came from
 * @param warnings diagnostics below error level
 */
public record ActivePolicy(RuleSet ruleSet, List<String> files, String source, Instant loadedAt,
                           List<Diagnostic> warnings) {

    public ActivePolicy {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    public String revision() {
        return ruleSet.revision();
    }
}
