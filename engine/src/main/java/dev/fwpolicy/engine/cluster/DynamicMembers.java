package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.List;
import java.util.Optional;

/**
 * What one dynamic set contributed to a kernel set: its name as declared, what it follows as
 * written ({@code pods "app=frontend" in shop}) and as resolved ({@code follows}, the own
 * namespace filled in: what serve's watches must cover), and the members it held in the
 * snapshot (empty when there was none). Kept beside the kernel set's networks so an
 * explanation can name the set, its selector and the pod behind an address.
 */
public record DynamicMembers(String set, String source, MemberSource follows, List<Member> members) {

    public DynamicMembers {
        members = List.copyOf(members);
    }

    public Optional<Member> member(Address address) {
        return members.stream().filter(m -> m.address().equals(address)).findFirst();
    }

    /** {@code $frontend (pods "app=frontend" in shop)}. */
    public String describe() {
        return "$" + set + " (" + source + ")";
    }
}
