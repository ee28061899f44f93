package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.diag.Diagnostic;
import java.time.Instant;
import java.util.List;

/**
 * Why the latest input was not put in force (the last good rules stayed).
 *
 * @param reason      short machine-friendly reason: PolicyInvalid, SourceUnreadable, SourceDeleted
 * @param diagnostics the compiler's diagnostics, when it got that far
 */
public record PolicyProblem(Instant at, String reason, String message, List<Diagnostic> diagnostics) {

    public PolicyProblem {
        diagnostics = List.copyOf(diagnostics);
    }
}
