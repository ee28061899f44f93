package dev.fwpolicy.engine.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network. The address is held as two 64-bit halves (IPv4 in the low 32
 * bits of {@code lo}) so that containment checks in the evaluator stay allocation-free.
 * Host bits are always zero: a CIDR with host bits set is rejected at parse time.
 */
public record Cidr(Family family, long hi, long lo, int prefix) implements Comparable<Cidr> {

    public Cidr {
        if (prefix < 0 || prefix > family.bits()) throw new IllegalArgumentException("bad prefix " + prefix);
    }

    public static Cidr all(Family family) {
        return new Cidr(family, 0, 0, 0);
    }

    public static Cidr host(Address a) {
        return new Cidr(a.family(), a.hi(), a.lo(), a.family().bits());
    }

    public Address address() {
        return new Address(family, hi, lo);
    }

    public boolean isAll() {
        return prefix == 0;
    }

    public boolean isHost() {
        return prefix == family.bits();
    }

    public boolean contains(Address a) {
        return a.family() == family && containsRaw(a.hi(), a.lo());
    }

    /** Without allocation: {@link #normalize} asks this once per network of a 50,000-member set. */
    public boolean contains(Cidr other) {
        return other.family == family && other.prefix >= prefix && containsRaw(other.hi, other.lo);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** Fast containment for the evaluator: no allocation. */
    public boolean containsRaw(long ahi, long alo) {
        if (prefix == 0) return true;
        if (family == Family.V4) {
            long mask = (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return (alo & mask) == lo;
        }
        if (prefix <= 64) {
            long mask = prefix == 64 ? -1L : ~(-1L >>> prefix);
            return (ahi & mask) == hi;
        }
        long mask = prefix == 128 ? -1L : ~(-1L >>> (prefix - 64));
        return ahi == hi && (alo & mask) == lo;
    }

    /** Always with a prefix length, e.g. {@code 10.0.0.1/32}. */
    public String withPrefix() {
        return address().text() + "/" + prefix;
    }

    /** The shortest .fwpolicy spelling: hosts without the prefix. */
    public String source() {
        return isHost() ? address().text() : withPrefix();
    }

    @Override
    public String toString() {
        return withPrefix();
    }

    @Override
    public int compareTo(Cidr o) {
        int c = family.compareTo(o.family);
        if (c != 0) return c;
        c = Long.compareUnsigned(hi, o.hi);
        if (c != 0) return c;
        c = Long.compareUnsigned(lo, o.lo);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }

    /** The network of {@code a} at {@code prefix} bits (host bits cleared). */
    public static Cidr networkOf(Address a, int prefix) {
        long[] m = maskedPair(a.hi(), a.lo(), prefix, a.family());
        return new Cidr(a.family(), m[0], m[1], prefix);
    }

    /** True when {@code a} has no bits set below {@code prefix}. */
    public static boolean isNetworkAddress(Address a, int prefix) {
        long[] m = maskedPair(a.hi(), a.lo(), prefix, a.family());
        return m[0] == a.hi() && m[1] == a.lo();
    }

    /**
     * The canonical form of a list of networks of one or both families: sorted, duplicates
     * and networks inside others dropped, sibling halves merged into their parent. Two
     * spellings of the same address space give the same list.
     */
    public static List<Cidr> normalize(List<Cidr> cidrs) {
        var sorted = new ArrayList<>(cidrs);
        sorted.sort(Comparator.naturalOrder());
        var out = new ArrayList<Cidr>();
        for (var c : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).contains(c)) continue;
            out.add(c);
            // Merge with the previous entry while the two are the halves of one parent.
            while (out.size() >= 2) {
                var b = out.get(out.size() - 1);
                var a = out.get(out.size() - 2);
                if (!areHalves(a, b)) break;
                out.remove(out.size() - 1);
                out.remove(out.size() - 1);
                // a is the lower half, so its address is the parent's.
                out.add(new Cidr(a.family, a.hi, a.lo, a.prefix - 1));
            }
        }
        return List.copyOf(out);
    }

    /**
     * True when {@code a} is the lower and {@code b} the upper half of one parent network: the
     * same prefix, {@code a}'s last prefix bit clear and {@code b} equal to {@code a} with it
     * set. Bit arithmetic rather than building the parent, which cost allocations per member.
     */
    private static boolean areHalves(Cidr a, Cidr b) {
        if (a.family != b.family || a.prefix != b.prefix || a.prefix == 0) return false;
        if (a.family == Family.V4) {
            long bit = 1L << (32 - a.prefix);
            return (a.lo & bit) == 0 && b.lo == (a.lo | bit) && a.hi == b.hi;
        }
        if (a.prefix <= 64) {
            long bit = 1L << (64 - a.prefix);
            return (a.hi & bit) == 0 && b.hi == (a.hi | bit) && a.lo == b.lo;
        }
        long bit = 1L << (128 - a.prefix);
        return (a.lo & bit) == 0 && b.lo == (a.lo | bit) && a.hi == b.hi;
    }

    private static long[] maskedPair(long ahi, long alo, int bits, Family family) {
        if (family == Family.V4) {
            long mask = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
            return new long[] {0, alo & mask};
        }
        if (bits <= 64) {
            long mask = bits == 0 ? 0 : bits == 64 ? -1L : ~(-1L >>> bits);
            return new long[] {ahi & mask, 0};
        }
        long mask = bits == 128 ? -1L : ~(-1L >>> (bits - 64));
        return new long[] {ahi, alo & mask};
    }

    /** Parses {@code 10.0.0.0/8}, {@code 10.0.0.1}, {@code 2001:db8::/32}; empty when malformed. */
    public static Optional<Cidr> parseStrict(String text) {
        return Optional.ofNullable(parseStrict(text, 0, text.length()));
    }

    /** {@link #parseStrict(String)} of {@code text[from, to)} without copying it; null when malformed. */
    public static Cidr parseStrict(String text, int from, int to) {
        int slash = -1;
        for (int i = from; i < to && slash < 0; i++) if (text.charAt(i) == '/') slash = i;
        var addr = Address.parse(text, from, slash < 0 ? to : slash);
        if (addr == null) return null;
        int prefix = addr.family().bits();
        if (slash >= 0) {
            // ASCII digits only, at most three: Integer.parseInt would take "+8" and other scripts' digits.
            int digits = to - slash - 1;
            if (digits < 1 || digits > 3) return null;
            prefix = 0;
            for (int i = slash + 1; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') return null;
                prefix = prefix * 10 + (c - '0');
            }
            if (prefix > addr.family().bits()) return null;
            if (!isNetworkAddress(addr, prefix)) return null;
        }
        return networkOf(addr, prefix);
    }
}
