package dev.fwpolicy.engine.ipset;

import java.util.HashSet;
import java.util.Set;

/**
 * Which sets the rules of an iptables read-back name ({@code -m set [!] --match-set NAME
 * src|dst}), in any chain, fwpolicy's or not: the kernel refuses to destroy a set while any
 * rule holds it, and a rule naming a set that fwpolicy destroyed and recreated would still
 * point at the old one.
 */
public final class SetReferences {
    private static final String OPTION = "--match-set ";

    private SetReferences() {}

    public static Set<String> in(Iterable<String> ruleSpecs) {
        var names = new HashSet<String>();
        for (String spec : ruleSpecs) {
            for (int at = spec.indexOf(OPTION); at >= 0; at = spec.indexOf(OPTION, at + 1)) {
                int start = at + OPTION.length();
                int end = spec.indexOf(' ', start);
                names.add(end < 0 ? spec.substring(start) : spec.substring(start, end));
            }
        }
        return names;
    }
}
