package dev.fwpolicy.engine.ir;

/** The {@code -j} of a compiled rule. */
public sealed interface Target {

    /** The text after {@code -j}, exactly as iptables-save prints it. */
    String iptables();

    /** True when netfilter stops walking the chain here (ACCEPT, DROP, REJECT). */
    default boolean isTerminal() {
        return false;
    }

    record Accept() implements Target {
        public String iptables() { return "ACCEPT"; }
        public boolean isTerminal() { return true; }
    }

    record Drop() implements Target {
        public String iptables() { return "DROP"; }
        public boolean isTerminal() { return true; }
    }

    /** REJECT with the given {@code --reject-with} (iptables-save always prints it). */
    record Reject(String with) implements Target {
        public String iptables() { return "REJECT --reject-with " + with; }
        public boolean isTerminal() { return true; }
    }

    /** LOG, then the packet goes on to the next rule. The prefix is sanitised by the compiler. */
    record Log(String prefix) implements Target {
        public String iptables() { return "LOG --log-prefix \"" + prefix + "\""; }
    }

    /** Jump to another owned chain; falling off its end returns here. */
    record Jump(String chain) implements Target {
        public String iptables() { return chain; }
    }
}
