package dev.fwpolicy.engine.iptables;

import java.util.Optional;

/**
 * One {@code -A} line of a read-back. Its counters are not part of it (they are no part of what
 * the rule is): {@link KernelTable#counters()} holds them.
 *
 * @param chain    the chain it sits in
 * @param position its 1-based rule number in that chain (what {@code -D CHAIN N} takes)
 * @param spec     everything after {@code -A CHAIN }, byte for byte as printed
 * @param id       the fwp1 identity in its comment, if it carries one
 */
public record KernelRule(String chain, int position, String spec, Optional<String> id) {

    public String saveLine() {
        return "-A " + chain + " " + spec;
    }
}
