package dev.fwpolicy.engine.check;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "did you mean …?" for misspelt names: the closest candidate within a small edit distance. */
public final class NameSuggester {
    private NameSuggester() {}

    /** Longer names get no suggestion: a typo hint for them is noise, and costs length squared. */
    static final int MAX_LENGTH = 64;

    public static Optional<String> closest(String name, Collection<String> candidates) {
        if (name.length() > MAX_LENGTH) return Optional.empty();
        int limit = Math.max(1, Math.min(3, name.length() / 3));
        return candidates.stream()
                .filter(c -> !c.equals(name))
                // The length difference is a lower bound of the distance: skip the far ones unmeasured.
                .filter(c -> Math.abs(c.length() - name.length()) <= limit)
                .map(c -> new Object[] {c, distance(name, c, limit)})
                .filter(p -> (int) p[1] <= limit)
                .min(Comparator.comparingInt((Object[] p) -> (int) p[1]).thenComparing(p -> (String) p[0]))
                .map(p -> (String) p[0]);
    }

    public static String hint(String name, Collection<String> candidates) {
        return closest(name, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    static int distance(String a, String b) {
        return distance(a, b, Integer.MAX_VALUE);
    }

    /** The edit distance, or some value above {@code limit} as soon as it must exceed it. */
    static int distance(String a, String b, int limit) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            // Each row's minimum never decreases: once it is past the limit, so is the result.
            int rowMin = Integer.MAX_VALUE;
            for (int v : cur) rowMin = Math.min(rowMin, v);
            if (rowMin > limit) return rowMin;
            var t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
