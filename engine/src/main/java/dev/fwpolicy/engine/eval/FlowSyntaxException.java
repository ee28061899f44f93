package dev.fwpolicy.engine.eval;

/**
 * Flow text that {@link Flow#parse} cannot turn into one packet: the first diagnostic of the
 * flow validator, for callers (tests, benchmarks) that want a value or an exception. Command
 * line and HTTP read flows with {@link Flow#read} and report every diagnostic instead.
 * {@code column} (1-based) points into the flow text.
 */
public final class FlowSyntaxException extends IllegalArgumentException {
    private final int column;
    private final String code;

    public FlowSyntaxException(String message, int column, String code) {
        super(message);
        this.column = column;
        this.code = code;
    }

    public int column() {
        return column;
    }

    public String code() {
        return code;
    }
}
