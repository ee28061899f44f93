package dev.fwpolicy.sidecar.cli;

import java.util.ArrayList;
import java.util.List;

/** A small unified-style line diff (LCS), enough to show what fmt would change. */
final class LineDiff {
    private LineDiff() {}

    static String unified(String name, String before, String after) {
        var a = List.of(before.split("\n", -1));
        var b = List.of(after.split("\n", -1));
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        var out = new ArrayList<String>();
        out.add("--- " + name);
        out.add("+++ " + name + " (formatted)");
        int i = 0, j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + (i + 1) + ": " + a.get(i++));
            } else {
                out.add("+" + (j + 1) + ": " + b.get(j++));
            }
        }
        return String.join("\n", out) + "\n";
    }
}
