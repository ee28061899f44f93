package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.cluster.DynamicMembers;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A long list of networks of one family that rules match as a whole (in the kernel: an ipset),
 * so that a 3,000-address set is one rule and its members can change without touching a rule.
 *
 * @param name    the stable kernel name, derived from policy, set and family only (never from
 *                the members), so member edits change no rule identity
 * @param policy  the policy that declares the set
 * @param set     the set's name in that policy
 * @param members canonical networks ({@link Cidr#normalize}): the same addresses however written
 * @param dynamic the dynamic sets ({@code pods "…"}, {@code service …}) whose members it holds,
 *                with the pod behind each address; empty for a set of written addresses only.
 *                A set with any is a kernel set whatever its size, in both families, even when
 *                empty, so that no rule depends on who is a member right now.
 */
public record NetworkSet(String name, String policy, String set, Family family, List<Cidr> members,
                         List<DynamicMembers> dynamic) {

    public NetworkSet {
        members = Cidr.normalize(members);
        dynamic = List.copyOf(dynamic);
        if (members.stream().anyMatch(c -> c.family() != family)) throw new IllegalArgumentException("mixed families in set " + name);
    }

    /** A set of written addresses only. */
    public NetworkSet(String name, String policy, String set, Family family, List<Cidr> members) {
        this(name, policy, set, family, members, List.of());
    }

    /** Whether its members follow the cluster (it includes a dynamic set). */
    public boolean isDynamic() {
        return !dynamic.isEmpty();
    }

    /**
     * The dynamic set and pod an address is in the set for, when it came from the cluster:
     * {@code $frontend (pods "app=frontend" in shop), pod shop/frontend-1}.
     */
    public Optional<String> provenance(Address address) {
        for (var d : dynamic) {
            var m = d.member(address);
            if (m.isPresent()) return Optional.of(d.describe() + ", " + m.get().behind());
        }
        return Optional.empty();
    }

    /** The member that holds the address, if any: what an explanation names. */
    public Optional<Cidr> memberContaining(long hi, long lo) {
        return index().find(hi, lo);
    }

    public boolean contains(long hi, long lo) {
        return index().find(hi, lo).isPresent();
    }

    // The lookup index is derived from the members; records cannot hold it as a field, so it
    // is cached per set by identity (sets are built once per compile and then only read).
    private MemberIndex index() {
        return MemberIndex.of(this);
    }

    /**
     * One hash lookup per distinct prefix length among the members (members never overlap, so
     * the first hit is the only one): constant time in the number of members.
     */
    static final class MemberIndex {
        private static final java.util.Map<NetworkSet, MemberIndex> CACHE =
                java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

        private final Family family;
        private final int[] prefixes;
        private final Set<Cidr> members;

        private MemberIndex(NetworkSet set) {
            family = set.family();
            members = new HashSet<>(set.members());
            prefixes = set.members().stream().mapToInt(Cidr::prefix).distinct().sorted().toArray();
        }

        static MemberIndex of(NetworkSet set) {
            return CACHE.computeIfAbsent(set, MemberIndex::new);
        }

        Optional<Cidr> find(long hi, long lo) {
            var address = new dev.fwpolicy.engine.net.Address(family, hi, lo);
            for (int p : prefixes) {
                var net = Cidr.networkOf(address, p);
                if (members.contains(net)) return Optional.of(net);
            }
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSet s && s.name.equals(name) && s.policy.equals(policy) && s.set.equals(set)
                && s.family == family && s.members.equals(members);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, family, members.size());
    }
}
