package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.net.Family;

/**
 * Chain names: the built-in chains each direction passes through, and fwpolicy's own chains.
 * iptables allows at most 28 characters.
 */
public final class ChainNames {
    public static final int MAX = 28;
    /** Every chain fwpolicy owns starts with this; nothing else does. */
    public static final String PREFIX = "FWP-";

    private ChainNames() {}

    /** INPUT or OUTPUT: the built-in chain of the filter table a direction's packets pass. */
    public static String builtin(Direction direction) {
        return direction == Direction.INBOUND ? "INPUT" : "OUTPUT";
    }

    /** The built-in chain's direction, if {@code chain} is INPUT or OUTPUT. */
    public static java.util.Optional<Direction> builtinDirection(String chain) {
        for (var d : Direction.values()) if (builtin(d).equals(chain)) return java.util.Optional.of(d);
        return java.util.Optional.empty();
    }

    /** {@code -i} for inbound, {@code -o} for outbound: how the loopback interface is matched. */
    public static String interfaceFlag(Direction direction) {
        return direction == Direction.INBOUND ? "-i" : "-o";
    }

    /** "I" or "O", as in the names of a direction's policy chains. */
    public static String letter(Direction direction) {
        return direction == Direction.INBOUND ? "I" : "O";
    }

    /**
     * The direction whose packets walk {@code chain}, from its name (built-in, entry or policy
     * chain), if the name says.
     */
    public static java.util.Optional<Direction> directionOf(String chain) {
        for (var d : Direction.values()) {
            if (chain.equals(builtin(d)) || chain.equals(entry(d)) || chain.startsWith(PREFIX + letter(d) + "-")) {
                return java.util.Optional.of(d);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether fwpolicy owns {@code chain} outright (and may flush, rewrite or delete it). */
    public static boolean isOwned(String chain) {
        return chain.startsWith(PREFIX);
    }

    /** FWP-INPUT / FWP-OUTPUT: where the built-in chain's jump lands. */
    public static String entry(Direction direction) {
        return PREFIX + builtin(direction);
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
        String name = PREFIX + letter(direction) + "-" + policy;
        if (name.length() < MAX) return name;
        String hash = RuleIdentity.hash(Family.V4, "chain", "", policy, 0).substring(0, 8);
        return name.substring(0, MAX - 9) + "-" + hash;
    }
}
