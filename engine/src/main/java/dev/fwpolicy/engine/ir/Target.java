package dev.fwpolicy.engine.ir;

/** What a rule does with a packet it matches. */
public sealed interface Target {

    /** True when netfilter stops walking the chain here (ACCEPT, DROP, REJECT). */
    default boolean isTerminal() {
        return false;
    }

    /** A short name for traces: accept, drop, reject, log, jump. */
    String label();

    record Accept() implements Target {
        public boolean isTerminal() { return true; }
        public String label() { return "ACCEPT"; }
    }

    record Drop() implements Target {
        public boolean isTerminal() { return true; }
        public String label() { return "DROP"; }
    }

    /**
     * Drop and tell the sender at once: with a TCP reset, or with an ICMP (ICMPv6) port
     * unreachable of the packet's family. The backend names it (iptables: {@code --reject-with}).
     */
    record Reject(How how) implements Target {
        public enum How { TCP_RESET, PORT_UNREACHABLE }

        public boolean isTerminal() { return true; }
        public String label() { return "REJECT"; }
    }

    /** Log, then the packet goes on to the next rule. The prefix is sanitised by the compiler. */
    record Log(String prefix) implements Target {
        public String label() { return "LOG"; }
    }

    /**
     * Log at most 10 packets a minute (bursts of 5) with this rule: every packet still passes the
     * rule's counters only when logged, so audit counts on the {@link Return} or accept that follows,
     * which every packet reaches. Then the packet goes on to the next rule.
     */
    record AuditLog(String prefix) implements Target {
        public String label() { return "LOG"; }
    }

    /** Leave this chain: the packet goes on after the jump that brought it here (an audited policy's decision). */
    record Return() implements Target {
        public String label() { return "RETURN"; }
    }

    /** Jump to another owned chain; falling off its end returns here. */
    record Jump(String chain) implements Target {
        public String label() { return chain; }
    }
}
