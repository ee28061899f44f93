package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Family;

/**
 * One rule of the canonical rule set.
 *
 * @param id     the content hash (see {@link RuleIdentity}); also the first token of its comment
 * @param family which of iptables / ip6tables holds it
 * @param chain  the chain it lives in (an owned FWP-… chain, or INPUT/OUTPUT for the jumps)
 * @param match  what it matches
 * @param target what it does
 * @param spec   everything after {@code -A CHAIN }, exactly as iptables-save prints it back,
 *               including {@code -m comment --comment "fwp1:<id> …"}
 * @param origin the statement that produced it
 */
public record CompiledRule(String id, Family family, String chain, Match match, Target target, String spec,
                           RuleOrigin origin) {

    /** The line as iptables-save prints it: {@code -A CHAIN spec}. */
    public String saveLine() {
        return "-A " + chain + " " + spec;
    }
}
