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
        return Optional.ofNullable(parse(text, 0, text.length()));
    }

    /**
     * The address in {@code text[from, to)}, or null when it is not one. One pass, ASCII digits
     * only, no substrings: it runs for every address of a policy and every IPv6 member of a
     * 50,000-member set read back from {@code ipset save}.
     */
    static Address parse(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ':') return parseV6(text, from, to);
        }
        long v4 = parseV4(text, from, to);
        return v4 < 0 ? null : new Address(Family.V4, 0, v4);
    }

    /** {@code a.b.c.d}, each 1–3 decimal digits up to 255; -1 when malformed. */
    private static long parseV4(String text, int from, int to) {
        long v = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            int digits = 0, n = 0;
            while (i < to && digits <= 3) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') break;
                n = n * 10 + (c - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || n > 255) return -1;
            v = (v << 8) | n;
            if (part < 3) {
                if (i >= to || text.charAt(i) != '.') return -1;
                i++;
            }
        }
        return i == to ? v : -1;
    }

    /**
     * Up to eight hex groups of 1–4 digits, at most one {@code ::} standing for one or more zero
     * groups, and optionally a dotted quad as the last two groups; null when malformed.
     */
    private static Address parseV6(String text, int from, int to) {
        int[] g = new int[8];
        int n = 0;
        int gap = -1; // index in g where "::" stands
        int i = from;
        if (to - i >= 2 && text.charAt(i) == ':' && text.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            if (n == 8) return null;
            int j = i, value = 0;
            while (j < to && j - i <= 4) {
                int d = hex(text.charAt(j));
                if (d < 0) break;
                value = value << 4 | d;
                j++;
            }
            if (j < to && text.charAt(j) == '.') {
                // A dotted quad: the last thing in the address, two groups' worth.
                if (n > 6) return null;
                long v4 = parseV4(text, i, to);
                if (v4 < 0) return null;
                g[n++] = (int) (v4 >>> 16);
                g[n++] = (int) (v4 & 0xFFFF);
                i = to;
                break;
            }
            if (j == i || j - i > 4) return null;
            g[n++] = value;
            i = j;
            if (i == to) break;
            if (text.charAt(i) != ':') return null;
            i++;
            if (i < to && text.charAt(i) == ':') {
                if (gap >= 0) return null;
                gap = n;
                i++;
            } else if (i == to) {
                return null; // a single trailing colon
            }
        }
        if (gap < 0 ? n != 8 : n > 7) return null;
        if (gap >= 0) {
            int tail = n - gap;
            System.arraycopy(g, gap, g, 8 - tail, tail);
            java.util.Arrays.fill(g, gap, 8 - tail, 0);
        }
        long hi = 0, lo = 0;
        for (int k = 0; k < 4; k++) hi = (hi << 16) | g[k];
        for (int k = 4; k < 8; k++) lo = (lo << 16) | g[k];
        return new Address(Family.V6, hi, lo);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
