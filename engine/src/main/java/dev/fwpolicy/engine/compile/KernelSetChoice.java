package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.AddressReference;
import dev.fwpolicy.engine.ast.AddressSet;
import dev.fwpolicy.engine.ast.KernelSetsDecl;
import dev.fwpolicy.engine.ast.Addresses;
import dev.fwpolicy.engine.ast.NegatedAddresses;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
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
 *
 * <p>The threshold is the policy's own {@code kernel-sets above N} when it has one, else the
 * compiler's (the {@code --kernel-sets-above} flag, else {@link dev.fwpolicy.engine.parser.Limits#DEFAULT_KERNEL_SET_THRESHOLD}):
 * whoever writes the policy knows its sets best.
 */
final class KernelSetChoice {
    private final int fallbackThreshold;
    private final int maxMembers;
    private final Diagnostics diagnostics;
    private final Map<String, NetworkSet> chosen = new LinkedHashMap<>();

    KernelSetChoice(int threshold, int maxMembers, Diagnostics diagnostics) {
        this.fallbackThreshold = threshold;
        this.maxMembers = maxMembers;
        this.diagnostics = diagnostics;
    }

    Optional<NetworkSet> choose(PolicyDecl policy, Addresses written, Family family, List<Cidr> networks, boolean negated) {
        var reference = reference(written);
        if (reference.isEmpty()) return Optional.empty();
        boolean wanted = negated ? networks.size() > 1 : networks.size() > threshold(policy);
        if (!wanted) return Optional.empty();
        if (networks.stream().anyMatch(Cidr::isAll)) return Optional.empty();
        String policyName = policy.name().text();
        String name = SetNames.of(policyName, reference.get().name(), family);
        var existing = chosen.get(name);
        if (existing != null && !(existing.policy().equals(policyName) && existing.set().equals(reference.get().name()))) {
            // Names are a readable cut plus a 40-bit hash: two different sets can meet by
            // chance or by a crafted name, and must never share one kernel set.
            diagnostics.error("set-name-collision", reference.get().span(), "'$" + reference.get().name() + "' of policy '" + policyName
                    + "' would have the kernel set name '" + name + "', which '$" + existing.set() + "' of policy '" + existing.policy()
                    + "' already has; rename one of the sets");
            return Optional.empty();
        }
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

    /** The policy's own {@code kernel-sets above N} (the last, if written twice), else the compiler's. */
    int threshold(PolicyDecl policy) {
        return settings(policy).reduce((first, second) -> second).map(KernelSetsDecl::threshold).orElse(fallbackThreshold);
    }

    /** A policy may say {@code kernel-sets above} once: a second one is an error pointing at the first. */
    static void checkSettings(List<PolicyDecl> policies, Diagnostics diagnostics) {
        for (var policy : policies) {
            var all = settings(policy).toList();
            for (var extra : all.subList(Math.min(1, all.size()), all.size())) {
                diagnostics.add(Diagnostic.error("duplicate-setting", extra.span(), "policy '" + policy.name().text()
                        + "' already says 'kernel-sets above " + all.get(0).threshold() + "'")
                        .withRelated(all.get(0).span(), "first said here"));
            }
        }
    }

    private static java.util.stream.Stream<KernelSetsDecl> settings(PolicyDecl policy) {
        return policy.items().stream().filter(KernelSetsDecl.class::isInstance).map(KernelSetsDecl.class::cast);
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
