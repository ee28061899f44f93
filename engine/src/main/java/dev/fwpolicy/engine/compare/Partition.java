package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact partition of one (direction, family)'s packets by (before's deciding rule, after's
 * deciding rule), restricted to packets whose verdict differs.
 *
 * <p>Every dimension's values are first cut at every boundary of every rule of both lists
 * (coordinate compression), so a rule's constraint is a few index ranges. The partition then
 * splits one dimension at a time over the rules that can still match: within a branch only the
 * boundaries of those rules matter, a rule that matches all of the remaining space ends its
 * list, and two lists that decide alike everywhere (all verdicts equal, or the same rules) end
 * the branch. Branches are memoised on their remaining lists, and results are shared
 * (hash-consed) nodes, so intervals of one dimension that lead to the same result merge into
 * one class; the result is a DAG whose paths are the classes.
 */
final class Partition {
    static final Node EMPTY = new Node();

    /** A result: EMPTY (no verdict differs), a Leaf, or a Branch over one dimension. */
    static class Node {}

    /** Every packet here is decided by {@code before} in the first list and {@code after} in the second (decider ids). */
    static final class Leaf extends Node {
        final int before, after;

        Leaf(int before, int after) {
            this.before = before;
            this.after = after;
        }
    }

    /**
     * The packets of {@code ranges[i]} (index ranges of {@code dim}'s elementary intervals,
     * pairs {@code from, to} half-open) continue in {@code children[i]}; packets of the dimension's
     * other values have no change. Children are interned, so equality is identity.
     */
    static final class Branch extends Node {
        final int dim;
        final int[][] ranges;
        final Node[] children;
        private final int hash;

        Branch(int dim, int[][] ranges, Node[] children) {
            this.dim = dim;
            this.ranges = ranges;
            this.children = children;
            int h = dim;
            for (int i = 0; i < children.length; i++) h = 31 * (31 * h + Arrays.hashCode(ranges[i])) + System.identityHashCode(children[i]);
            hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Branch b) || b.hash != hash || b.dim != dim || b.children.length != children.length) return false;
            for (int i = 0; i < children.length; i++) {
                if (b.children[i] != children[i] || !Arrays.equals(b.ranges[i], ranges[i])) return false;
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record MemoKey(int dim, int[] before, int[] after, int hash) {
        static MemoKey of(int dim, int[] before, int[] after) {
            return new MemoKey(dim, before, after, 31 * (31 * dim + Arrays.hashCode(before)) + Arrays.hashCode(after));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MemoKey k && k.hash == hash && k.dim == dim && Arrays.equals(k.before, before)
                    && Arrays.equals(k.after, after);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record ContentKey(int verdict, int[][] ranks) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ContentKey k && k.verdict == verdict && Arrays.deepEquals(k.ranks, ranks);
        }

        @Override
        public int hashCode() {
            return 31 * verdict + Arrays.deepHashCode(ranks);
        }
    }

    private final Family family;
    /** Rules of both lists: before's first, then after's. Indexes below are into this. */
    private final FlatRule[] rules;
    private final int beforeCount;
    /** ranks[r][dim]: pairs {from, to} of elementary interval indexes, half-open; null = any. */
    private final int[][][] ranks;
    /** The highest dimension rule r constrains; -1 when it matches every packet. */
    private final int[] lastDim;
    /** Equal ids: same ranges in every dimension and same verdict (they decide alike). */
    private final int[] content;
    private final int[] verdict;
    /** Which deciding rule: the same compiled rule reached through two jumps is one decider. */
    private final int[] decider;
    private final List<Outcome> deciders = new ArrayList<>();
    /** bounds[dim]: sorted starts of the elementary intervals, as {hi, lo} pairs. */
    private final long[][] boundHi, boundLo;
    private final int[] elements;

    private final Map<MemoKey, Node> memo = new HashMap<>();
    private final Map<Branch, Branch> branches = new HashMap<>();
    private final Map<Long, Leaf> leaves = new HashMap<>();

    Partition(Family family, List<FlatRule> before, List<FlatRule> after) {
        this.family = family;
        var all = new ArrayList<FlatRule>(before);
        all.addAll(after);
        rules = all.toArray(FlatRule[]::new);
        beforeCount = before.size();
        int n = rules.length;
        boundHi = new long[Dim.COUNT][];
        boundLo = new long[Dim.COUNT][];
        elements = new int[Dim.COUNT];
        for (int d = 0; d < Dim.COUNT; d++) bounds(d);
        ranks = new int[n][Dim.COUNT][];
        lastDim = new int[n];
        content = new int[n];
        verdict = new int[n];
        decider = new int[n];
        var contents = new HashMap<ContentKey, Integer>();
        var byRule = new IdentityHashMap<CompiledRule, Integer>();
        var byBuiltin = new HashMap<dev.fwpolicy.engine.vocabulary.Verdict, Integer>();
        for (int r = 0; r < n; r++) {
            lastDim[r] = -1;
            for (int d = 0; d < Dim.COUNT; d++) {
                var c = rules[r].dims()[d];
                if (c == null) continue;
                ranks[r][d] = toRanks(d, c);
                lastDim[r] = d;
            }
            var outcome = rules[r].outcome();
            verdict[r] = outcome.verdict().ordinal();
            content[r] = contents.computeIfAbsent(new ContentKey(verdict[r], ranks[r]), k -> contents.size());
            var known = outcome.rule().isPresent() ? byRule.get(outcome.rule().get()) : byBuiltin.get(outcome.verdict());
            if (known == null) {
                known = deciders.size();
                deciders.add(outcome);
                if (outcome.rule().isPresent()) byRule.put(outcome.rule().get(), known);
                else byBuiltin.put(outcome.verdict(), known);
            }
            decider[r] = known;
        }
    }

    Family family() {
        return family;
    }

    Outcome outcome(int decider) {
        return deciders.get(decider);
    }

    /** The first value of elementary interval {@code i} of {@code dim}, as {hi, lo}. */
    long[] start(int dim, int i) {
        return new long[] {boundHi[dim][i], boundLo[dim][i]};
    }

    /** The last value of elementary interval {@code i} (inclusive). */
    long[] end(int dim, int i) {
        if (i + 1 == elements[dim]) return Dim.ALL[dim].max(family);
        long lo = boundLo[dim][i + 1] - 1, hi = boundLo[dim][i + 1] == 0 ? boundHi[dim][i + 1] - 1 : boundHi[dim][i + 1];
        return new long[] {hi, lo};
    }

    int elements(int dim) {
        return elements[dim];
    }

    Node solve() {
        return solve(0, cut(all(0, beforeCount), 0), cut(all(beforeCount, rules.length), 0));
    }

    private static int[] all(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) out[i] = from + i;
        return out;
    }

    /** The list up to and including its first rule that matches every packet in dimensions from {@code dim} on. */
    private int[] cut(int[] list, int dim) {
        for (int i = 0; i < list.length; i++) if (lastDim[list[i]] < dim) return Arrays.copyOf(list, i + 1);
        return list;
    }

    private Node solve(int dim, int[] before, int[] after) {
        if (decideAlike(before, after)) return EMPTY;
        int d = dim;
        while (d < Dim.COUNT && !constrains(d, before) && !constrains(d, after)) d++;
        if (d == Dim.COUNT) return leaf(decider[before[0]], decider[after[0]]);
        var key = MemoKey.of(d, before, after);
        var known = memo.get(key);
        if (known != null) return known;
        var result = split(d, before, after);
        memo.put(key, result);
        return result;
    }

    private boolean decideAlike(int[] before, int[] after) {
        int v = verdict[before[0]];
        boolean oneVerdict = true;
        for (int r : before) oneVerdict &= verdict[r] == v;
        for (int r : after) oneVerdict &= verdict[r] == v;
        if (oneVerdict) return true;
        if (before.length != after.length) return false;
        for (int i = 0; i < before.length; i++) if (content[before[i]] != content[after[i]]) return false;
        return true;
    }

    private boolean constrains(int dim, int[] list) {
        for (int r : list) if (ranks[r][dim] != null) return true;
        return false;
    }

    private Node split(int dim, int[] before, int[] after) {
        int nb = before.length, k = nb + after.length;
        int[] list = new int[k];
        System.arraycopy(before, 0, list, 0, nb);
        System.arraycopy(after, 0, list, nb, after.length);
        // The boundaries that matter here: those of the rules still in the lists.
        int count = 2;
        for (int r : list) if (ranks[r][dim] != null) count += ranks[r][dim].length;
        int[] points = new int[count];
        int np = 0;
        points[np++] = 0;
        points[np++] = elements[dim];
        for (int r : list) if (ranks[r][dim] != null) for (int v : ranks[r][dim]) points[np++] = v;
        Arrays.sort(points);
        int m = 0;
        for (int i = 0; i < np; i++) if (m == 0 || points[i] != points[m - 1]) points[m++] = points[i];
        int segments = m - 1;
        // Where each rule's ranges start and end, as segment numbers, bucketed by segment.
        int[] startCount = new int[segments + 1], endCount = new int[segments + 1];
        var active = new BitSet(k);
        for (int pos = 0; pos < k; pos++) {
            int[] rr = ranks[list[pos]][dim];
            if (rr == null) {
                active.set(pos);
                continue;
            }
            for (int i = 0; i < rr.length; i += 2) {
                startCount[Arrays.binarySearch(points, 0, m, rr[i])]++;
                endCount[Arrays.binarySearch(points, 0, m, rr[i + 1])]++;
            }
        }
        int[] startAt = offsets(startCount), endAt = offsets(endCount);
        int[] starts = new int[startAt[segments + 1]], ends = new int[endAt[segments + 1]];
        int[] startFill = startAt.clone(), endFill = endAt.clone();
        for (int pos = 0; pos < k; pos++) {
            int[] rr = ranks[list[pos]][dim];
            if (rr == null) continue;
            for (int i = 0; i < rr.length; i += 2) {
                starts[startFill[Arrays.binarySearch(points, 0, m, rr[i])]++] = pos;
                ends[endFill[Arrays.binarySearch(points, 0, m, rr[i + 1])]++] = pos;
            }
        }
        var groups = new LinkedHashMap<Node, int[]>();
        var sizes = new HashMap<Node, Integer>();
        int[] childBefore = new int[nb], childAfter = new int[after.length];
        for (int s = 0; s < segments; s++) {
            for (int i = endAt[s]; i < endAt[s + 1]; i++) active.clear(ends[i]);
            for (int i = startAt[s]; i < startAt[s + 1]; i++) active.set(starts[i]);
            int cb = 0, ca = 0;
            for (int pos = active.nextSetBit(0); pos >= 0 && pos < nb; pos = active.nextSetBit(pos + 1)) {
                childBefore[cb++] = list[pos];
                if (lastDim[list[pos]] <= dim) break;
            }
            for (int pos = active.nextSetBit(nb); pos >= 0; pos = active.nextSetBit(pos + 1)) {
                childAfter[ca++] = list[pos];
                if (lastDim[list[pos]] <= dim) break;
            }
            var child = solve(dim + 1, Arrays.copyOf(childBefore, cb), Arrays.copyOf(childAfter, ca));
            if (child == EMPTY) continue;
            int from = points[s], to = points[s + 1];
            int[] ranges = groups.get(child);
            int size = sizes.getOrDefault(child, 0);
            if (ranges == null) ranges = new int[4];
            if (size > 0 && ranges[size - 1] == from) {
                ranges[size - 1] = to;
            } else {
                if (size + 2 > ranges.length) ranges = Arrays.copyOf(ranges, ranges.length * 2);
                ranges[size] = from;
                ranges[size + 1] = to;
                size += 2;
            }
            groups.put(child, ranges);
            sizes.put(child, size);
        }
        if (groups.isEmpty()) return EMPTY;
        if (groups.size() == 1) {
            var only = groups.entrySet().iterator().next();
            if (sizes.get(only.getKey()) == 2 && only.getValue()[0] == 0 && only.getValue()[1] == elements[dim]) return only.getKey();
        }
        var children = groups.keySet().toArray(Node[]::new);
        int[][] ranges = new int[children.length][];
        for (int i = 0; i < children.length; i++) ranges[i] = Arrays.copyOf(groups.get(children[i]), sizes.get(children[i]));
        var branch = new Branch(dim, ranges, children);
        return branches.computeIfAbsent(branch, b -> b);
    }

    private static int[] offsets(int[] counts) {
        int[] at = new int[counts.length + 1];
        for (int i = 0; i < counts.length; i++) at[i + 1] = at[i] + counts[i];
        return at;
    }

    private Leaf leaf(int before, int after) {
        return leaves.computeIfAbsent(((long) before << 32) | after, x -> new Leaf(before, after));
    }

    /** Every rule's starts and ends+1 in this dimension, sorted: the elementary intervals. */
    private void bounds(int dim) {
        long[] max = Dim.ALL[dim].max(family);
        var points = new ArrayList<long[]>();
        points.add(new long[] {0, 0});
        for (var r : rules) {
            var c = r.dims()[dim];
            if (c == null) continue;
            for (var v : c) {
                points.add(new long[] {v.fromHi(), v.fromLo()});
                if (v.toHi() != max[0] || v.toLo() != max[1]) {
                    long lo = v.toLo() + 1, hi = lo == 0 ? v.toHi() + 1 : v.toHi();
                    points.add(new long[] {hi, lo});
                }
            }
        }
        points.sort((a, b) -> ValueRange.compare(a[0], a[1], b[0], b[1]));
        var hi = new long[points.size()];
        var lo = new long[points.size()];
        int n = 0;
        for (var p : points) {
            if (n > 0 && hi[n - 1] == p[0] && lo[n - 1] == p[1]) continue;
            hi[n] = p[0];
            lo[n] = p[1];
            n++;
        }
        boundHi[dim] = Arrays.copyOf(hi, n);
        boundLo[dim] = Arrays.copyOf(lo, n);
        elements[dim] = n;
    }

    private int[] toRanks(int dim, ValueRange[] ranges) {
        int[] out = new int[ranges.length * 2];
        for (int i = 0; i < ranges.length; i++) {
            var v = ranges[i];
            out[2 * i] = rank(dim, v.fromHi(), v.fromLo());
            long[] max = Dim.ALL[dim].max(family);
            if (v.toHi() == max[0] && v.toLo() == max[1]) {
                out[2 * i + 1] = elements[dim];
            } else {
                long lo = v.toLo() + 1, hi = lo == 0 ? v.toHi() + 1 : v.toHi();
                out[2 * i + 1] = rank(dim, hi, lo);
            }
        }
        return out;
    }

    private int rank(int dim, long hi, long lo) {
        long[] his = boundHi[dim], los = boundLo[dim];
        int a = 0, b = elements[dim] - 1;
        while (a <= b) {
            int mid = (a + b) >>> 1;
            int c = ValueRange.compare(his[mid], los[mid], hi, lo);
            if (c == 0) return mid;
            if (c < 0) a = mid + 1;
            else b = mid - 1;
        }
        throw new IllegalStateException("value is not a boundary of its dimension");
    }
}
