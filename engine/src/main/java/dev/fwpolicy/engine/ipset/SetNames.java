package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.net.Family;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Kernel set names. A name is derived from the policy, the set's name in it and the family,
 * never from the members: editing members keeps the name, so no rule that references the set
 * changes identity. The bytes hashed here are frozen (renaming every set of every pod would
 * be a migration).
 *
 * <p>Shape: {@code fwp-<readable>-<family digit><8 hash chars>}, at most 29 characters so a
 * temporary twin ({@code <name>.t}, used to swap in a large change) still fits ipset's 31.
 * The readable part is only for people running {@code ipset list}; the hash makes the name
 * unique. Only {@code [a-z0-9_-]} appear, so a name is one token in a restore line.
 */
public final class SetNames {
    /** Every set fwpolicy owns starts with this; every other set is foreign and never touched. */
    public static final String PREFIX = "fwp-";
    /** ipset's IPSET_MAXNAMELEN is 32 including the terminating NUL. */
    public static final int IPSET_MAX = 31;
    static final String TEMPORARY_SUFFIX = ".t";
    static final int MAX = IPSET_MAX - TEMPORARY_SUFFIX.length();
    private static final int HASH_CHARS = 8;
    private static final int READABLE_MAX = MAX - PREFIX.length() - 1 - 1 - HASH_CHARS;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private SetNames() {}

    public static String of(String policy, String set, Family family) {
        String readable = readable(policy + "-" + set);
        String digit = family == Family.V4 ? "4" : "6";
        return PREFIX + readable + "-" + digit + hash("fwpset1\n" + family.label() + "\n" + policy + "\n" + set);
    }

    /** The twin a large change is filled into before it is swapped with {@code name}. */
    public static String temporary(String name) {
        return name + TEMPORARY_SUFFIX;
    }

    public static boolean isOwned(String name) {
        return name.startsWith(PREFIX);
    }

    /** A twin left behind by an interrupted swap: owned, never referenced by a rule, destroyed on sight. */
    public static boolean isTemporary(String name) {
        return isOwned(name) && name.endsWith(TEMPORARY_SUFFIX);
    }

    private static String readable(String text) {
        var sb = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (sb.length() == READABLE_MAX) break;
            sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
        }
        // A cut that ends in a separator would read as "--4…"; the hash keeps names unique anyway.
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '-') sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            var sb = new StringBuilder(HASH_CHARS);
            long bits = 0;
            for (int i = 0; i < 8; i++) bits = (bits << 8) | (d[i] & 0xFF);
            for (int i = 0; i < HASH_CHARS; i++) sb.append(BASE32[(int) ((bits >>> (59 - 5 * i)) & 31)]);
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
