package dev.fwpolicy.engine.cluster;

/**
 * The operators of a Kubernetes label selector as its string form writes them. {@code =}
 * and {@code ==} mean the same and are kept apart only so that a selector renders as written.
 */
public enum Operator {
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    IN("in"),
    NOT_IN("notin"),
    EXISTS(""),
    DOES_NOT_EXIST("!");

    private final String spelling;

    Operator(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    /** Operators that take exactly one value after the key. */
    public boolean isExact() {
        return this == EQUALS || this == DOUBLE_EQUALS || this == NOT_EQUALS;
    }

    /** Operators that take a parenthesised set of values. */
    public boolean isSet() {
        return this == IN || this == NOT_IN;
    }
}
