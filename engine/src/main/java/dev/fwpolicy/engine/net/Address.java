package dev.fwpolicy.engine.net;

import java.util.Optional;

/**
 * A single IPv4 or IPv6 address, parsed without ever touching DNS (InetAddress would
 * resolve names; a policy file must never cause a lookup).
 */
public record Address(Family family, long hi, long lo) {

    /** RFC 5952 text for IPv6 (lowercase, longest zero run compressed), dotted quad for IPv4. */
    public String text() {
        if (family == Family.V4) {
            return ((lo >>> 24) & 255) + "." + ((lo >>> 16) & 255) + "." + ((lo >>> 8) & 255) + "." + (lo & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    public static Optional<Address> parse(String text) {
        if (text.indexOf(':') >= 0) return parseV6(text);
        return parseV4(text).map(v -> new Address(Family.V4, 0, v));
    }

    private static Optional<Long> parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return Optional.empty();
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return Optional.empty();
            int n = Integer.parseInt(p);
            if (n > 255) return Optional.empty();
            v = (v << 8) | n;
        }
        return Optional.of(v);
    }

    private static Optional<Address> parseV6(String text) {
        int dbl = text.indexOf("::");
        if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) return Optional.empty();
        String head = dbl >= 0 ? text.substring(0, dbl) : text;
        String tail = dbl >= 0 ? text.substring(dbl + 2) : "";
        var headGroups = groups(head);
        var tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) return Optional.empty();
        int total = headGroups.length + tailGroups.length;
        if (dbl < 0 && total != 8) return Optional.empty();
        if (dbl >= 0 && total > 7) return Optional.empty();
        int[] g = new int[8];
        System.arraycopy(headGroups, 0, g, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, g, 8 - tailGroups.length, tailGroups.length);
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) hi = (hi << 16) | g[i];
        for (int i = 4; i < 8; i++) lo = (lo << 16) | g[i];
        return Optional.of(new Address(Family.V6, hi, lo));
    }

    /** Hex groups of one side of "::"; a trailing dotted quad counts as two groups. Null if malformed. */
    private static int[] groups(String part) {
        if (part.isEmpty()) return new int[0];
        String[] parts = part.split(":", -1);
        int n = parts.length;
        boolean v4Tail = parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[v4Tail ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && v4Tail) {
                var v4 = parseV4(p);
                if (v4.isEmpty()) return null;
                out[i] = (int) (v4.get() >>> 16);
                out[i + 1] = (int) (v4.get() & 0xFFFF);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) return null;
            for (char c : p.toCharArray()) if (Character.digit(c, 16) < 0) return null;
            out[i] = Integer.parseInt(p, 16);
        }
        return out;
    }
}
