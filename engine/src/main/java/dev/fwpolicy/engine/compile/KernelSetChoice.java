package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.AddressReference;
import dev.fwpolicy.engine.ast.AddressSet;
import dev.fwpolicy.engine.ast.Addresses;
import dev.fwpolicy.engine.ast.NegatedAddresses;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.ipset.SetNames;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which address matches become kernel sets. Only a declared set referenced on its own
 * ({@code from $clients}, {@code to not $blocked}) can: its kernel name comes from the policy
 * and the set's name, which an inline list does not have. It becomes one when, in a family,
 * it holds more networks than the threshold, or when it is negated and holds more than one
 * (iptables negates a single {@code -s}, so that is the only way to write it).
 */
final class KernelSetChoice {
    private final int threshold;
    private final int maxMembers;
    private final Diagnostics diagnostics;
    private final Map<String, NetworkSet> chosen = new LinkedHashMap<>();

    KernelSetChoice(int threshold, int maxMembers, Diagnostics diagnostics) {
        this.threshold = threshold;
        this.maxMembers = maxMembers;
        this.diagnostics = diagnostics;
    }

    Optional<NetworkSet> choose(PolicyDecl policy, Addresses written, Family family, List<Cidr> networks, boolean negated) {
        var reference = reference(written);
        if (reference.isEmpty()) return Optional.empty();
        boolean wanted = negated ? networks.size() > 1 : networks.size() > threshold;
        if (!wanted) return Optional.empty();
        if (networks.stream().anyMatch(Cidr::isAll)) return Optional.empty();
        String policyName = policy.name().text();
        String name = SetNames.of(policyName, reference.get().name(), family);
        var existing = chosen.get(name);
        if (existing != null) return Optional.of(existing);
        if (networks.size() > maxMembers) {
            diagnostics.error("limit-exceeded", reference.get().span(), "'$" + reference.get().name() + "' holds " + networks.size() + " "
                    + (family == Family.V4 ? "IPv4" : "IPv6") + " networks after merging; a kernel set holds at most " + maxMembers);
            return Optional.empty();
        }
        var set = new NetworkSet(name, policyName, reference.get().name(), family, networks);
        chosen.put(name, set);
        return Optional.of(set);
    }

    /** The kernel sets chosen so far, in the order first used. */
    List<NetworkSet> sets() {
        return new ArrayList<>(chosen.values());
    }

    /** The one {@code $name} an address expression consists of, under any number of {@code not}. */
    private static Optional<AddressReference> reference(Addresses written) {
        var a = written;
        while (a instanceof NegatedAddresses n) a = n.inner();
        if (a instanceof AddressSet set && set.members().size() == 1 && set.members().get(0) instanceof AddressReference ref) {
            return Optional.of(ref);
        }
        return Optional.empty();
    }
}
