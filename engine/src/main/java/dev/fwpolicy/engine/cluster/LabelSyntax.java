package dev.fwpolicy.engine.cluster;

import java.util.Optional;

/**
 * Kubernetes' rules for the names a policy writes, with the position of the first thing
 * wrong: label keys ({@code [prefix/]name}, a qualified name), label values, namespace
 * names (DNS-1123 labels) and Service names (DNS-1035 labels). Offsets count characters
 * of the checked string.
 */
public final class LabelSyntax {
    private static final int NAME_MAX = 63;
    private static final int PREFIX_MAX = 253;

    private LabelSyntax() {}

    /** A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    public static Optional<SelectorError> key(String key) {
        if (key.isEmpty()) return Optional.of(new SelectorError(0, 1, "a label key must not be empty"));
        int slash = key.indexOf('/');
        if (slash < 0) return qualifiedNamePart(key, 0, "label key");
        int second = key.indexOf('/', slash + 1);
        if (second >= 0) {
            return Optional.of(new SelectorError(second, 1, "a label key holds at most one '/' (prefix/name)"));
        }
        if (slash == 0) return Optional.of(new SelectorError(0, 1, "the prefix before '/' in a label key must not be empty"));
        String prefix = key.substring(0, slash);
        if (prefix.length() > PREFIX_MAX) {
            return Optional.of(new SelectorError(PREFIX_MAX, prefix.length() - PREFIX_MAX,
                    "a label key's prefix is at most " + PREFIX_MAX + " characters (this one has " + prefix.length() + ")"));
        }
        var prefixError = subdomain(prefix, "label key prefix");
        if (prefixError.isPresent()) return prefixError;
        if (slash == key.length() - 1) {
            return Optional.of(new SelectorError(slash, 1, "the name after '/' in a label key must not be empty"));
        }
        return qualifiedNamePart(key.substring(slash + 1), slash + 1, "label key name");
    }

    /** A label value: empty, or at most 63 letters, digits, '-', '_', '.' starting and ending alphanumeric. */
    public static Optional<SelectorError> value(String value) {
        if (value.isEmpty()) return Optional.empty();
        return qualifiedNamePart(value, 0, "label value");
    }

    /** A namespace name: a DNS-1123 label (lowercase letters, digits, '-'; alphanumeric at both ends). */
    public static Optional<SelectorError> namespaceName(String name) {
        return dnsLabel(name, 0, "namespace name", false);
    }

    /** A Service name: a DNS-1035 label (like a namespace name, but it starts with a letter). */
    public static Optional<SelectorError> serviceName(String name) {
        return dnsLabel(name, 0, "Service name", true);
    }

    private static Optional<SelectorError> qualifiedNamePart(String s, int at, String what) {
        if (s.length() > NAME_MAX) {
            return Optional.of(new SelectorError(at + NAME_MAX, s.length() - NAME_MAX,
                    "a " + what + " is at most " + NAME_MAX + " characters (this one has " + s.length() + ")"));
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean edge = i == 0 || i == s.length() - 1;
            if (isAlnum(c)) continue;
            if (!edge && (c == '-' || c == '_' || c == '.')) continue;
            String problem = edge && (c == '-' || c == '_' || c == '.')
                    ? "a " + what + " must " + (i == 0 ? "start" : "end") + " with a letter or digit"
                    : describe(c) + " is not allowed in a " + what + " (letters, digits, '-', '_', '.')";
            return Optional.of(new SelectorError(at + i, 1, problem));
        }
        return Optional.empty();
    }

    private static Optional<SelectorError> subdomain(String s, String what) {
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            if (end == start) {
                return Optional.of(new SelectorError(start, 1, "a " + what + " is dot-separated DNS labels; one here is empty"));
            }
            var error = dnsLabelChars(s.substring(start, end), start, what, false);
            if (error.isPresent()) return error;
            if (dot < 0) return Optional.empty();
            start = dot + 1;
            if (start == s.length()) {
                return Optional.of(new SelectorError(dot, 1, "a " + what + " must not end with '.'"));
            }
        }
    }

    private static Optional<SelectorError> dnsLabel(String s, int at, String what, boolean letterFirst) {
        if (s.isEmpty()) return Optional.of(new SelectorError(at, 1, "a " + what + " must not be empty"));
        if (s.length() > NAME_MAX) {
            return Optional.of(new SelectorError(at + NAME_MAX, s.length() - NAME_MAX,
                    "a " + what + " is at most " + NAME_MAX + " characters (this one has " + s.length() + ")"));
        }
        return dnsLabelChars(s, at, what, letterFirst);
    }

    private static Optional<SelectorError> dnsLabelChars(String s, int at, String what, boolean letterFirst) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (i == 0 && letterFirst && !(c >= 'a' && c <= 'z')) {
                return Optional.of(new SelectorError(at, 1, "a " + what + " must start with a lowercase letter"));
            }
            if (lower) continue;
            boolean edge = i == 0 || i == s.length() - 1;
            if (c == '-' && !edge) continue;
            String problem = c == '-'
                    ? "a " + what + " must " + (i == 0 ? "start" : "end") + " with a lowercase letter or digit"
                    : (c >= 'A' && c <= 'Z')
                    ? "a " + what + " is lowercase: write '" + Character.toLowerCase(c) + "'"
                    : describe(c) + " is not allowed in a " + what + " (lowercase letters, digits, '-')";
            return Optional.of(new SelectorError(at + i, 1, problem));
        }
        return Optional.empty();
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static String describe(char c) {
        if (c < 0x20 || c >= 0x7f) return String.format("U+%04X", (int) c);
        return "'" + c + "'";
    }
}
