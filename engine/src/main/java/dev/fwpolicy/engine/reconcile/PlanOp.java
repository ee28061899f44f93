package dev.fwpolicy.engine.reconcile;

/**
 * One line of an {@code iptables-restore --noflush} payload. Rule numbers are 1-based and
 * refer to the chain as it is at that point of the transaction (earlier lines already applied);
 * they are used only in chains fwpolicy owns (see {@link DeleteRuleBySpec}).
 */
public sealed interface PlanOp {

    String chain();

    /** The payload line, exactly as fed to iptables-restore. */
    String restoreLine();

    /**
     * Creates the chain, or flushes it when it exists: {@code --noflush} still empties every
     * chain declared in the payload, so only chains fwpolicy means to (re)write are declared.
     */
    record DeclareChain(String chain) implements PlanOp {
        public String restoreLine() { return ":" + chain + " - [0:0]"; }
    }

    record DeleteRule(String chain, int position) implements PlanOp {
        public String restoreLine() { return "-D " + chain + " " + position; }
    }

    /**
     * Deletes the chain's first rule printed exactly as {@code spec}, resolved when the
     * transaction runs: how fwpolicy deletes in shared chains, where a rule number read
     * earlier may by then point at another program's rule.
     */
    record DeleteRuleBySpec(String chain, String spec) implements PlanOp {
        public String restoreLine() { return "-D " + chain + " " + spec; }
    }

    record InsertRule(String chain, int position, String spec) implements PlanOp {
        public String restoreLine() { return "-I " + chain + " " + position + " " + spec; }
    }

    record AppendRule(String chain, String spec) implements PlanOp {
        public String restoreLine() { return "-A " + chain + " " + spec; }
    }

    /** Rewrites a rule in place: repairs a tampered body without moving anything around it. */
    record ReplaceRule(String chain, int position, String spec) implements PlanOp {
        public String restoreLine() { return "-R " + chain + " " + position + " " + spec; }
    }

    /** Removes an (already emptied, no longer referenced) chain. */
    record DeleteChain(String chain) implements PlanOp {
        public String restoreLine() { return "-X " + chain; }
    }
}
