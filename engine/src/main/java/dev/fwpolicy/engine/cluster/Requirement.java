package dev.fwpolicy.engine.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One comma-separated part of a label selector. Values are a set (sorted, no duplicates),
 * as Kubernetes holds them; the empty string is a valid value.
 */
public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
        values = List.copyOf(new TreeSet<>(values));
        if (operator.isExact() && values.size() != 1) {
            throw new IllegalArgumentException(operator + " takes exactly one value, got " + values);
        }
        if (operator.isSet() && values.isEmpty()) {
            throw new IllegalArgumentException(operator + " needs at least one value");
        }
        if (!operator.isExact() && !operator.isSet() && !values.isEmpty()) {
            throw new IllegalArgumentException(operator + " takes no values, got " + values);
        }
    }

    /** Kubernetes' meaning: a missing key satisfies {@code !=}, {@code notin} and {@code !key} only. */
    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case EQUALS, DOUBLE_EQUALS, IN -> value != null && values.contains(value);
            case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
        };
    }

    /** The selector-string form: {@code a=b}, {@code a in (x,y)}, {@code !a}. */
    public String render() {
        return switch (operator) {
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
            case IN, NOT_IN -> key + " " + operator.spelling() + " (" + String.join(",", values) + ")";
            default -> key + operator.spelling() + values.get(0);
        };
    }
}
