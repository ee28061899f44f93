package dev.fwpolicy.engine.iptables;

/** The one iptables table fwpolicy writes: every owned chain and every hashed jump is in it. */
public final class FilterTable {
    public static final String NAME = "filter";

    private FilterTable() {}
}
