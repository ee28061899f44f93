package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.net.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipBlock} with {@code except} as plain networks: fwpolicy's sets are unions, so
 * "10.0.0.0/8 but not 10.1.0.0/16" becomes the networks that cover the difference
 * (at most one per prefix bit and excepted network).
 */
final class CidrDifference {
    private CidrDifference() {}

    static List<Cidr> minus(Cidr base, List<Cidr> except) {
        List<Cidr> current = List.of(base);
        for (var hole : except) {
            var next = new ArrayList<Cidr>();
            for (var c : current) next.addAll(minus(c, hole));
            current = next;
        }
        return Cidr.normalize(current);
    }

    private static List<Cidr> minus(Cidr c, Cidr hole) {
        if (c.family() != hole.family() || !c.overlaps(hole)) return List.of(c);
        if (hole.contains(c)) return List.of();
        // hole lies strictly inside c: split c in halves until the half equal to hole is reached.
        var out = new ArrayList<Cidr>();
        var cur = c;
        while (cur.prefix() < hole.prefix()) {
            var lower = half(cur, false);
            var upper = half(cur, true);
            if (lower.contains(hole)) {
                out.add(upper);
                cur = lower;
            } else {
                out.add(lower);
                cur = upper;
            }
        }
        return out;
    }

    private static Cidr half(Cidr c, boolean upper) {
        int prefix = c.prefix() + 1;
        int bits = c.family().bits();
        int bitFromTop = prefix - 1; // the bit that tells the halves apart, counted from the top
        long hi = c.hi();
        long lo = c.lo();
        if (upper) {
            int fromBottom = bits - 1 - bitFromTop;
            if (fromBottom >= 64) hi |= 1L << (fromBottom - 64);
            else lo |= 1L << fromBottom;
        }
        return new Cidr(c.family(), hi, lo, prefix);
    }
}
