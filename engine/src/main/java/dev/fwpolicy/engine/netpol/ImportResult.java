package dev.fwpolicy.engine.netpol;

import java.util.List;
import java.util.Optional;

/** The .fwpolicy text, or every reason it could not be written (never a partial translation). */
public record ImportResult(Optional<String> text, List<String> errors) {

    public ImportResult {
        errors = List.copyOf(errors);
        if (text.isPresent() == !errors.isEmpty()) throw new IllegalArgumentException("text xor errors");
    }
}
