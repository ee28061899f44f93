package dev.fwpolicy.engine.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive range of unsigned 128-bit values: one dimension of a packet (an address, a port,
 * a protocol code) is a value of at most 128 bits, so one representation serves every dimension
 * and IPv6 needs no special case. Values below 2^64 have {@code hi == 0}.
 */
record ValueRange(long fromHi, long fromLo, long toHi, long toLo) {

    static ValueRange of(long from, long to) {
        return new ValueRange(0, from, 0, to);
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /**
     * The ranges of both sorted, disjoint lists: what a packet must be in to match two matches
     * at once (a jump's and a rule's inside the chain it enters).
     */
    static List<ValueRange> intersect(List<ValueRange> a, List<ValueRange> b) {
        var out = new ArrayList<ValueRange>();
        int i = 0, j = 0;
        while (i < a.size() && j < b.size()) {
            var x = a.get(i);
            var y = b.get(j);
            boolean xStartsLater = compare(x.fromHi, x.fromLo, y.fromHi, y.fromLo) >= 0;
            long fromHi = xStartsLater ? x.fromHi : y.fromHi, fromLo = xStartsLater ? x.fromLo : y.fromLo;
            boolean xEndsFirst = compare(x.toHi, x.toLo, y.toHi, y.toLo) <= 0;
            long toHi = xEndsFirst ? x.toHi : y.toHi, toLo = xEndsFirst ? x.toLo : y.toLo;
            if (compare(fromHi, fromLo, toHi, toLo) <= 0) out.add(new ValueRange(fromHi, fromLo, toHi, toLo));
            if (xEndsFirst) i++;
            else j++;
        }
        return out;
    }

    /**
     * Sorted, disjoint ranges, adjacent ones joined. {@code ranges} must already be sorted by
     * start and disjoint (as a normalised network list or port list is).
     */
    static List<ValueRange> joinAdjacent(List<ValueRange> ranges) {
        var out = new ArrayList<ValueRange>();
        for (var r : ranges) {
            if (!out.isEmpty()) {
                var last = out.get(out.size() - 1);
                long nextLo = last.toLo + 1, nextHi = nextLo == 0 ? last.toHi + 1 : last.toHi;
                if (nextHi == r.fromHi && nextLo == r.fromLo && !(last.toHi == -1L && last.toLo == -1L)) {
                    out.set(out.size() - 1, new ValueRange(last.fromHi, last.fromLo, r.toHi, r.toLo));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    /** Everything in {@code [0, max]} outside the sorted, disjoint {@code ranges}. */
    static List<ValueRange> complement(List<ValueRange> ranges, long maxHi, long maxLo) {
        var out = new ArrayList<ValueRange>();
        long nextHi = 0, nextLo = 0;
        boolean done = false;
        for (var r : ranges) {
            if (compare(nextHi, nextLo, r.fromHi, r.fromLo) < 0) {
                long beforeLo = r.fromLo - 1, beforeHi = r.fromLo == 0 ? r.fromHi - 1 : r.fromHi;
                out.add(new ValueRange(nextHi, nextLo, beforeHi, beforeLo));
            }
            if (r.toHi == maxHi && r.toLo == maxLo) {
                done = true;
                break;
            }
            nextLo = r.toLo + 1;
            nextHi = nextLo == 0 ? r.toHi + 1 : r.toHi;
        }
        if (!done) out.add(new ValueRange(nextHi, nextLo, maxHi, maxLo));
        return out;
    }
}
