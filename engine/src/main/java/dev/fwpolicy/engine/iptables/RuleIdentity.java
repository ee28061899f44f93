package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.net.Family;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Rule identity, version 1. The hashed bytes are FROZEN for the {@code fwp1:} prefix:
 * <pre>
 *   "fwp1" LF family-label LF table LF chain LF body LF occurrence
 * </pre>
 * where {@code body} is the rule's iptables-save spec without its comment match
 * ({@link RuleRenderer#body}: fwp1 hashes iptables' spelling, so those bytes are frozen too, which is
 * why the identity is computed here, in the iptables layer, and the IR only carries it) and
 * {@code occurrence} counts earlier rules with the same body in the same chain (so two
 * identical rules still get distinct identities). Changing any of this needs a new prefix
 * ({@code fwp2:}) and a migration that removes {@code fwp1:} rules.
 */
public final class RuleIdentity {
    public static final String PREFIX = "fwp1:";
    public static final int HASH_CHARS = 16;

    /** One digest per thread: looking the algorithm up again for each of 40,000 rules costs more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    });

    private RuleIdentity() {}

    public static String hash(Family family, String table, String chain, String body, int occurrence) {
        String bytes = "fwp1\n" + family.label() + "\n" + table + "\n" + chain + "\n" + body + "\n" + occurrence;
        var digest = SHA256.get().digest(bytes.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, HASH_CHARS);
    }

    /** A character of the base64url alphabet the hash is written in. */
    public static boolean isHashChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
