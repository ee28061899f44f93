package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Cidr;

/** {@code -s CIDR}, {@code ! -s CIDR} (or {@code -d}). */
public record AddressMatch(Cidr cidr, boolean negated) {

    public boolean matches(long hi, long lo) {
        return cidr.containsRaw(hi, lo) != negated;
    }

    public String iptables(String flag) {
        return (negated ? "! " : "") + flag + " " + cidr.iptables();
    }
}
