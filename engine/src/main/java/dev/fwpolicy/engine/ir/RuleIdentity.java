package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Family;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rule identity, version 1. The hashed bytes are FROZEN for the {@code fwp1:} prefix:
 * <pre>
 *   "fwp1" LF family-label LF table LF chain LF body LF occurrence
 * </pre>
 * where {@code body} is the rule's iptables-save spec without its comment match and
 * {@code occurrence} counts earlier rules with the same body in the same chain (so two
 * identical rules still get distinct identities). Changing any of this needs a new prefix
 * ({@code fwp2:}) and a migration that removes {@code fwp1:} rules.
 */
public final class RuleIdentity {
    public static final String PREFIX = "fwp1:";
    public static final int HASH_CHARS = 16;
    /** iptables' comment match holds 256 bytes including the terminating NUL. */
    public static final int IPTABLES_COMMENT_MAX = 255;

    private static final Pattern ID_IN_SPEC =
            Pattern.compile("--comment \"?" + Pattern.quote(PREFIX) + "([A-Za-z0-9_-]{" + HASH_CHARS + "})");

    private RuleIdentity() {}

    public static String hash(Family family, String table, String chain, String body, int occurrence) {
        String bytes = "fwp1\n" + family.label() + "\n" + table + "\n" + chain + "\n" + body + "\n" + occurrence;
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(bytes.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /**
     * The comment text: {@code fwp1:<id> <human>}, the human part sanitised and cut so the
     * whole stays within {@code maxBytes}.
     */
    public static String comment(String id, String human, int maxBytes) {
        String head = PREFIX + id;
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

    /** The identity in a rule spec or save line, if it carries an fwp1 comment. */
    public static Optional<String> idIn(String specOrLine) {
        // Same answer as ID_IN_SPEC.find(), without a regex: this runs for every line of every
        // read-back (10,000+ per sync), where the matcher was most of the parse time.
        final String marker = "--comment ";
        for (int at = specOrLine.indexOf(marker); at >= 0; at = specOrLine.indexOf(marker, at + 1)) {
            int p = at + marker.length();
            if (p < specOrLine.length() && specOrLine.charAt(p) == '"') p++;
            if (!specOrLine.startsWith(PREFIX, p)) continue;
            p += PREFIX.length();
            if (p + HASH_CHARS > specOrLine.length()) continue;
            boolean ok = true;
            for (int i = p; i < p + HASH_CHARS && ok; i++) ok = isHashChar(specOrLine.charAt(i));
            if (ok) return Optional.of(specOrLine.substring(p, p + HASH_CHARS));
        }
        return Optional.empty();
    }

    private static boolean isHashChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** The regex {@link #idIn} must agree with (tests compare them). */
    static Optional<String> idInByRegex(String specOrLine) {
        var m = ID_IN_SPEC.matcher(specOrLine);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
