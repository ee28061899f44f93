package dev.fwpolicy.engine.diag;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/**
 * A problem found in policy input. User errors are values, never exceptions, so that one
 * run reports every problem it can find. {@code related} points at other places that
 * explain this one (the earlier definition, the shadowing rule).
 */
public record Diagnostic(Severity severity, String code, Span span, String message, List<Related> related) {

    public record Related(Span span, String message) {}

    public Diagnostic {
        related = List.copyOf(related);
    }

    public static Diagnostic error(String code, Span span, String message) {
        return new Diagnostic(Severity.ERROR, code, span, message, List.of());
    }

    public static Diagnostic warning(String code, Span span, String message) {
        return new Diagnostic(Severity.WARNING, code, span, message, List.of());
    }

    public Diagnostic withRelated(Span span, String message) {
        var list = new java.util.ArrayList<>(related);
        list.add(new Related(span, message));
        return new Diagnostic(severity, code, this.span, this.message, list);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** One line, {@code file:line:col: error[CODE]: message}. */
    public String headline() {
        return span.location() + ": " + severity.label() + "[" + code + "]: " + message;
    }
}
