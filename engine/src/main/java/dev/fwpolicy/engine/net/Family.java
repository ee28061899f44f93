package dev.fwpolicy.engine.net;

/** Address family: which of iptables / ip6tables holds a rule. */
public enum Family {
    V4(32, "ipv4"), V6(128, "ipv6");

    private final int bits;
    private final String label;

    Family(int bits, String label) {
        this.bits = bits;
        this.label = label;
    }

    public int bits() {
        return bits;
    }

    /** "ipv4" / "ipv6": stable text, part of the hashed bytes of fwp1 identities. */
    public String label() {
        return label;
    }
}
