package dev.fwpolicy.engine.dataplane;

import dev.fwpolicy.engine.net.Family;

/**
 * Which iptables flavour holds the rules. Both speak the same save/restore text; they must
 * never be mixed on one host (each would hide the other's rules), hence detection.
 */
public enum Backend {
    NFT("nft"), LEGACY("legacy");

    private final String suffix;

    Backend(String suffix) {
        this.suffix = suffix;
    }

    /** "nft" / "legacy", as in the binary names and the {@code --backend} flag. */
    public String label() {
        return suffix;
    }

    /** e.g. {@code iptables-nft}, {@code ip6tables-legacy}. */
    public String cli(Family family) {
        return (family == Family.V4 ? "iptables" : "ip6tables") + "-" + suffix;
    }

    public String save(Family family) {
        return cli(family) + "-save";
    }

    public String restore(Family family) {
        return cli(family) + "-restore";
    }
}
