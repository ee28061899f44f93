package dev.fwpolicy.engine.iptables;

import java.util.List;

/**
 * A chain as read back: its header and its rules in kernel order.
 *
 * @param policy the built-in chain's policy (ACCEPT, DROP), or "-" for a user chain
 */
public record KernelChain(String name, String policy, List<KernelRule> rules) {

    public KernelChain {
        rules = List.copyOf(rules);
    }

    public boolean builtin() {
        return !policy.equals("-");
    }
}
