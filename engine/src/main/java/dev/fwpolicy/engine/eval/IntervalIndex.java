package dev.fwpolicy.engine.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * For one field of one chain (destination port, source or destination address), the rules
 * that can match each value of that field, in chain order. The key space is cut into
 * elementary intervals at every rule's range boundary; a lookup is one binary search, and
 * the walk then tests only the rules listed for the flow's value, in the same order
 * netfilter would, so the first match found is the first match in the chain.
 *
 * <p>Keys are unsigned 128-bit (hi, lo) pairs: ports and IPv4 addresses live in lo.
 * An index whose lists would hold more than {@code budget} entries in total (many rules
 * that do not constrain the field repeat in every interval) is not built.
 */
final class IntervalIndex {
    private final long[] startHi;
    private final long[] startLo;
    private final int[][] lists;

    private IntervalIndex(long[] startHi, long[] startLo, int[][] lists) {
        this.startHi = startHi;
        this.startLo = startLo;
        this.lists = lists;
    }

    /** Ranges of one rule: {@code null} when the rule does not constrain the field. */
    interface Ranges {
        /** Inclusive ranges as {startHi, startLo, endHi, endLo} quadruples, or null for "any". */
        long[] of(int rule);
    }

    static IntervalIndex build(int[] rules, Ranges ranges, long budget) {
        var perRule = new long[rules.length][];
        var points = new ArrayList<long[]>();
        points.add(new long[] {0, 0});
        boolean constrained = false;
        for (int i = 0; i < rules.length; i++) {
            perRule[i] = ranges.of(rules[i]);
            if (perRule[i] == null) continue;
            constrained = true;
            for (int k = 0; k < perRule[i].length; k += 4) {
                points.add(new long[] {perRule[i][k], perRule[i][k + 1]});
                long eHi = perRule[i][k + 2], eLo = perRule[i][k + 3];
                if (eHi == -1L && eLo == -1L) continue; // ends at the top of the key space
                long nLo = eLo + 1;
                long nHi = nLo == 0 ? eHi + 1 : eHi;
                points.add(new long[] {nHi, nLo});
            }
        }
        if (!constrained) return null; // nothing to split on: the plain list is as good
        points.sort(IntervalIndex::compare);
        var unique = new ArrayList<long[]>();
        for (var p : points) if (unique.isEmpty() || compare(unique.get(unique.size() - 1), p) != 0) unique.add(p);
        int k = unique.size();
        long[] sHi = new long[k], sLo = new long[k];
        for (int i = 0; i < k; i++) {
            sHi[i] = unique.get(i)[0];
            sLo[i] = unique.get(i)[1];
        }
        var index = new IntervalIndex(sHi, sLo, null);
        // Size first, so an index that would blow the budget costs no memory.
        long total = 0;
        for (int i = 0; i < rules.length; i++) {
            if (perRule[i] == null) {
                total += k;
            } else {
                for (int q = 0; q < perRule[i].length; q += 4) {
                    total += index.find(perRule[i][q + 2], perRule[i][q + 3]) - index.find(perRule[i][q], perRule[i][q + 1]) + 1;
                }
            }
            if (total > budget) return null;
        }
        int[] sizes = new int[k];
        int[][] lists = new int[k][];
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            spans.clear();
            if (perRule[i] == null) spans.add(new int[] {0, k - 1});
            else for (int q = 0; q < perRule[i].length; q += 4) {
                spans.add(new int[] {index.find(perRule[i][q], perRule[i][q + 1]), index.find(perRule[i][q + 2], perRule[i][q + 3])});
            }
            for (var s : spans) {
                for (int iv = s[0]; iv <= s[1]; iv++) {
                    int[] l = lists[iv];
                    if (l == null) l = lists[iv] = new int[4];
                    if (sizes[iv] > 0 && l[sizes[iv] - 1] == rules[i]) continue; // overlapping ranges of one rule
                    if (sizes[iv] == l.length) l = lists[iv] = Arrays.copyOf(l, l.length * 2);
                    l[sizes[iv]++] = rules[i];
                }
            }
        }
        for (int iv = 0; iv < k; iv++) lists[iv] = lists[iv] == null ? new int[0] : Arrays.copyOf(lists[iv], sizes[iv]);
        return new IntervalIndex(sHi, sLo, lists);
    }

    /** The rules, in chain order, that may match a flow whose field has this value. */
    int[] lookup(long hi, long lo) {
        return lists[find(hi, lo)];
    }

    /** Index of the interval holding the key: the last start that is not above it. */
    private int find(long hi, long lo) {
        int low = 0, high = startHi.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            int c = Long.compareUnsigned(startHi[mid], hi);
            if (c == 0) c = Long.compareUnsigned(startLo[mid], lo);
            if (c <= 0) low = mid;
            else high = mid - 1;
        }
        return low;
    }

    private static int compare(long[] a, long[] b) {
        int c = Long.compareUnsigned(a[0], b[0]);
        return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
    }
}
