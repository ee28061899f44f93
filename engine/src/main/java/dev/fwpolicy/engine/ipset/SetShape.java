package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.net.Family;
import java.util.List;
import java.util.Optional;

/**
 * What a set is, apart from its members: the parts of an {@code ipset save} header that decide
 * whether fwpolicy's rules and members fit it. {@code hashsize}, {@code bucketsize} and
 * {@code initval} are left out on purpose: the kernel grows the hash as members arrive and
 * prints the current size, so comparing them would "repair" every healthy large set.
 *
 * @param type          e.g. {@code hash:net}
 * @param family        as ipset prints it: {@code inet} / {@code inet6}
 * @param maxElements   {@code maxelem}
 * @param otherOptions  any further header words ({@code comment}, {@code timeout 0}, {@code counters}…):
 *                      a set fwpolicy made has none
 */
public record SetShape(String type, String family, long maxElements, List<String> otherOptions) {
    public static final String HASH_NET = "hash:net";
    /** ipset's own default; also the default upper bound on a kernel set's members. */
    public static final long DEFAULT_MAX_ELEMENTS = 65536;

    public SetShape {
        otherOptions = List.copyOf(otherOptions);
    }

    public static SetShape hashNet(Family family, long maxElements) {
        return new SetShape(HASH_NET, familyWord(family), maxElements, List.of());
    }

    public static String familyWord(Family family) {
        return family == Family.V4 ? "inet" : "inet6";
    }

    /** The family, when this is a family ipset knows for address sets. */
    public Optional<Family> addressFamily() {
        return switch (family) {
            case "inet" -> Optional.of(Family.V4);
            case "inet6" -> Optional.of(Family.V6);
            default -> Optional.empty();
        };
    }

    /** True when members of {@code other} can be swapped into a set of this shape ({@code ipset swap} needs type and family equal). */
    public boolean swappableWith(SetShape other) {
        return type.equals(other.type) && family.equals(other.family);
    }

    /** The header words of a {@code create} line for this shape. */
    String createArguments() {
        var sb = new StringBuilder(type).append(" family ").append(family).append(" maxelem ").append(maxElements);
        for (String o : otherOptions) sb.append(' ').append(o);
        return sb.toString();
    }
}
