package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * One ipset, desired or read back: its name, shape and members, members sorted and distinct.
 * A desired set's members are the canonical form of its networks ({@link Cidr#normalize}), so
 * the same addresses however written give the same set; a read-back set holds exactly what
 * the kernel printed, overlaps included, so a member someone added by hand shows as extra.
 */
public record KernelSet(String name, SetShape shape, List<Cidr> members) {

    public KernelSet {
        if (!isName(name)) throw new IllegalArgumentException("not an ipset name: " + name);
        members = sortedDistinct(members);
    }

    /**
     * Sorted, without duplicates. Desired members arrive sorted already (normalised); a read-back
     * arrives in the kernel's hash order. 50,000 members are sorted in place rather than through
     * a tree, which costs a node per member.
     */
    private static List<Cidr> sortedDistinct(List<Cidr> members) {
        boolean sorted = true;
        for (int i = 1; i < members.size() && sorted; i++) sorted = members.get(i - 1).compareTo(members.get(i)) < 0;
        if (sorted) return List.copyOf(members);
        var copy = new ArrayList<>(members);
        copy.sort(null);
        var out = new ArrayList<Cidr>(copy.size());
        for (Cidr c : copy) if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) out.add(c);
        return List.copyOf(out);
    }

    /** What ipset accepts as a set's name: 1 to {@value SetNames#IPSET_MAX} printable ASCII characters. */
    public static boolean isName(String name) {
        return !name.isEmpty() && name.length() <= SetNames.IPSET_MAX && name.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }

    /** The kernel set a compiled rule set asks for, at ipset's default size. */
    public static KernelSet desired(NetworkSet set) {
        return desired(set.name(), set.family(), set.members(), SetShape.DEFAULT_MAX_ELEMENTS);
    }

    /** The set fwpolicy wants in the kernel for these networks of one family. */
    public static KernelSet desired(String name, Family family, List<Cidr> networks, long maxElements) {
        var members = new ArrayList<Cidr>();
        for (Cidr c : Cidr.normalize(networks)) {
            if (c.family() != family) throw new IllegalArgumentException(c + " is not " + family.label() + " (set " + name + ")");
            // hash:net holds prefixes 1..bits; a set that includes every address normalises to
            // the one network /0 and is never worth a kernel set, so the caller never asks.
            if (c.isAll()) throw new IllegalArgumentException("hash:net cannot hold " + c + " (set " + name + ")");
            members.add(c);
        }
        return new KernelSet(name, SetShape.hashNet(family, maxElements), members);
    }

    public boolean contains(Cidr network) {
        return java.util.Collections.binarySearch(members, network) >= 0;
    }
}
