package dev.fwpolicy.engine.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a rule spec as iptables-save prints it into argv words: spaces separate, double
 * quotes group (a comment or log prefix), a backslash takes the next character literally.
 * Used by the evaluator's kernel view ({@code eval.KernelRules}); the reconciler's
 * {@code SaveParser} keeps each rule as the text iptables-save printed and does not split it.
 */
public final class SpecTokens {
    private SpecTokens() {}

    /** @throws IllegalArgumentException when a quote is left open */
    public static List<String> split(String spec) {
        var out = new ArrayList<String>();
        var cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '\\' && i + 1 < spec.length()) {
                cur.append(spec.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) throw new IllegalArgumentException("unterminated quote in: " + spec);
        if (any) out.add(cur.toString());
        return out;
    }
}
