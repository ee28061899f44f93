package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.Direction;
import dev.fwpolicy.engine.ir.RuleIdentity;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;

/** Names of fwpolicy's own chains. iptables allows at most 28 characters. */
public final class ChainNames {
    public static final int MAX = 28;

    private ChainNames() {}

    /** FWP-INPUT / FWP-OUTPUT: where the built-in chain's jump lands. */
    public static String entry(Direction direction) {
        return RuleSet.CHAIN_PREFIX + direction.builtinChain();
    }

    /**
     * FWP-I-&lt;policy&gt;; long names are cut and made unique with a hash of the full name.
     * A name is kept whole only when the chain stays shorter than {@link #MAX}: every cut name
     * is exactly {@link #MAX} long, so no policy can be literally named like another's cut
     * form (a 200-character name and one written as its 22-character shortening once shared
     * a chain). Two long names can still meet only if their 48-bit hashes do, which the
     * compiler reports ({@code chain-name-collision}).
     */
    public static String policy(Direction direction, String policy) {
        String name = RuleSet.CHAIN_PREFIX + direction.letter() + "-" + policy;
        if (name.length() < MAX) return name;
        String hash = RuleIdentity.hash(Family.V4, "chain", "", policy, 0).substring(0, 8);
        return name.substring(0, MAX - 9) + "-" + hash;
    }
}
