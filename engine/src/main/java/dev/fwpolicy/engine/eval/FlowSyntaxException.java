package dev.fwpolicy.engine.eval;

/**
 * A flow description that cannot be understood. Flow text comes from a command line or an
 * HTTP request, not from a policy file, so this is thrown rather than collected as a
 * diagnostic; {@code column} (1-based) points at the offending word.
 */
public final class FlowSyntaxException extends IllegalArgumentException {
    private final int column;

    public FlowSyntaxException(String message, int column) {
        super(message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
