package dev.fwpolicy.engine.reconcile;

/**
 * Which elements to keep so that the most of them stay where they are: the longest strictly
 * increasing subsequence (patience sorting, O(n log n)). Applied to "desired index of each
 * rule in kernel order", everything outside it must move; everything inside may stay.
 * Strictly increasing also keeps at most one copy of a duplicated rule.
 */
final class LongestIncreasingSubsequence {
    private LongestIncreasingSubsequence() {}

    /** {@code keep[k]} is true for the members of one longest strictly increasing subsequence of {@code values}. */
    static boolean[] of(int[] values) {
        int n = values.length;
        int[] tailIndex = new int[n];
        int[] previous = new int[n];
        int length = 0;
        for (int k = 0; k < n; k++) {
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[tailIndex[mid]] < values[k]) lo = mid + 1;
                else hi = mid;
            }
            previous[k] = lo > 0 ? tailIndex[lo - 1] : -1;
            tailIndex[lo] = k;
            if (lo == length) length++;
        }
        boolean[] keep = new boolean[n];
        for (int k = length > 0 ? tailIndex[length - 1] : -1; k >= 0; k = previous[k]) keep[k] = true;
        return keep;
    }
}
