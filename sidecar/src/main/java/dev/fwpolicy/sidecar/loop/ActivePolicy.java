package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.ir.RuleSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A policy that compiled: the rule set the loop keeps in the kernel.
 *
 * @param files    the source names it came from
 * @param warnings diagnostics below error level
 * @param sourceVersion the source's version of the files (a ConfigMap's resourceVersion), if it has one
 * @param observedAt when the source saw them
 */
public record ActivePolicy(RuleSet ruleSet, List<String> files, String source, Instant loadedAt,
                           List<Diagnostic> warnings, Optional<String> sourceVersion, Instant observedAt) {

    public ActivePolicy {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    public String revision() {
        return ruleSet.revision();
    }
}
