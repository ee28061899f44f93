package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.engine.diag.Diagnostic;
import java.util.List;

/**
 * A request body the client got wrong: the API answers 400 with this code, message and (for
 * flows) the diagnostics. A value rather than an exception so the body decoders are total
 * functions that fuzzing can hold to "a request or one of these".
 */
record BodyError(String code, String message, List<Diagnostic> diagnostics) {
    BodyError {
        diagnostics = List.copyOf(diagnostics);
    }

    BodyError(String code, String message) {
        this(code, message, List.of());
    }

    /** Every body error is the client's: a 400. */
    int status() {
        return 400;
    }
}
