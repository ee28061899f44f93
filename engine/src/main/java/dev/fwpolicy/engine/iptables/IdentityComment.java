package dev.fwpolicy.engine.iptables;

import java.util.Optional;

/**
 * A rule's identity as iptables carries it: a comment match whose text <em>starts</em> with
 * {@code fwp1:<hash>}, followed by the end of the comment or a space and the human part
 * (policy name, note). The one place that writes and finds it: the reconciler, the kernel
 * view and {@code state} all agree which rules are fwpolicy's.
 */
public final class IdentityComment {
    /** iptables' comment match holds 256 bytes including the terminating NUL. */
    public static final int MAX_BYTES = 255;

    private static final String OPTION = "--comment ";

    private IdentityComment() {}

    /**
     * The comment text: {@code fwp1:<id> <human>}, the human part sanitised and cut so the
     * whole stays within {@code maxBytes}.
     */
    public static String text(String id, String human, int maxBytes) {
        String head = RuleIdentity.PREFIX + id;
        String clean = sanitize(human);
        if (clean.isEmpty()) return head;
        String full = head + " " + clean;
        return full.length() <= maxBytes ? full : full.substring(0, maxBytes).stripTrailing();
    }

    /**
     * Makes author-written text safe inside a double-quoted iptables-restore argument and a
     * log line: printable ASCII only, no quotes, backslashes or shell/escape characters,
     * whitespace folded to single spaces. Nothing a policy author writes can end the
     * comment, start a new option, or start a new line.
     */
    public static String sanitize(String text) {
        var sb = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            boolean safe = c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '\'' && c != '`' && c != '$';
            sb.append(safe ? c : '_');
        }
        return sb.toString();
    }

    /**
     * The identity of a printed rule spec: the first {@code --comment} option (not text that
     * merely looks like one inside another quoted argument) whose value starts with
     * {@code fwp1:} and a whole hash. A comment that only mentions {@code fwp1:…} further in
     * is not an identity: such a rule is foreign.
     */
    public static Optional<String> idIn(String spec) {
        // Runs for every line of every read-back (10,000+ per sync): indexOf, and a quote count
        // over the (short) text before the option, instead of tokenising the whole line.
        int quotesBefore = 0;
        int counted = 0;
        for (int at = spec.indexOf(OPTION); at >= 0; at = spec.indexOf(OPTION, at + 1)) {
            for (; counted < at; counted++) {
                char c = spec.charAt(counted);
                if (c == '\\') counted++;
                else if (c == '"') quotesBefore++;
            }
            if (quotesBefore % 2 != 0) continue; // inside another quoted argument
            if (at > 0 && spec.charAt(at - 1) != ' ') continue; // part of a longer word
            int p = at + OPTION.length();
            boolean quoted = p < spec.length() && spec.charAt(p) == '"';
            if (quoted) p++;
            if (!spec.startsWith(RuleIdentity.PREFIX, p)) continue;
            p += RuleIdentity.PREFIX.length();
            int end = p + RuleIdentity.HASH_CHARS;
            if (end > spec.length()) continue;
            boolean ok = true;
            for (int i = p; i < end && ok; i++) ok = RuleIdentity.isHashChar(spec.charAt(i));
            if (!ok) continue;
            // The hash is the whole first word of the comment.
            if (end < spec.length()) {
                char after = spec.charAt(end);
                if (after != ' ' && !(quoted && after == '"')) continue;
            } else if (quoted) {
                continue;
            }
            return Optional.of(spec.substring(p, end));
        }
        return Optional.empty();
    }
}
