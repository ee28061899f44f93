package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.AddressReference;
import dev.fwpolicy.engine.ast.AddressSet;
import dev.fwpolicy.engine.ast.KernelSetsDecl;
import dev.fwpolicy.engine.ast.Addresses;
import dev.fwpolicy.engine.ast.NegatedAddresses;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.check.ResolvedAddresses;
import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.DynamicMembers;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Severity;
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
 * (iptables negates a single {@code -s}, so that is the only way to write it). A set that
 * includes a dynamic set ({@code pods "…"}, {@code service …}) is always one, in both families.
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
    private final ClusterInput cluster;
    /** Sets already noted as having unknown members: one note per set, not one per use. */
    private final java.util.Set<String> notedUnknown = new java.util.HashSet<>();

    KernelSetChoice(int threshold, int maxMembers, Diagnostics diagnostics, ClusterInput cluster) {
        this.cluster = cluster;
        this.fallbackThreshold = threshold;
        this.maxMembers = maxMembers;
        this.diagnostics = diagnostics;
    }

    /**
     * The kernel set {@code written} is matched by in {@code family}, if it is one. Empty when
     * it is expanded instead, and also when it cannot be either: a dynamic set written inside
     * a list, or without members to take (both reported here).
     */
    Optional<NetworkSet> choose(PolicyDecl policy, Addresses written, Family family, ResolvedAddresses resolved) {
        var networks = resolved.of(family);
        boolean negated = resolved.negated();
        var reference = reference(written);
        // Every address however many pods come and go: no kernel set, no rule that depends on members.
        if (networks.stream().anyMatch(Cidr::isAll)) return Optional.empty();
        if (reference.isEmpty()) {
            if (resolved.isDynamic()) dynamicInList(written, resolved);
            return Optional.empty();
        }
        // A dynamic set is a kernel set whatever it holds today (even nothing): expanded, a pod
        // rollout would add and remove rules instead of set members.
        boolean wanted = resolved.isDynamic() || (negated ? networks.size() > 1 : networks.size() > threshold(policy));
        if (!wanted) return Optional.empty();
        if (resolved.isDynamic() && !membersKnown(reference.get(), resolved)) return Optional.empty();
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
        var set = new NetworkSet(name, policyName, reference.get().name(), family, networks, resolved.dynamic());
        chosen.put(name, set);
        return Optional.of(set);
    }

    /**
     * Whether the members of the dynamic sets {@code reference} includes can be known. Without a
     * snapshot that is an error ({@code no-cluster-state}), or, where the input says members may
     * be unknown ({@code check}), a note, and the set compiles empty.
     */
    private boolean membersKnown(AddressReference reference, ResolvedAddresses resolved) {
        if (cluster.membersKnown()) return true;
        String what = resolved.dynamic().stream().map(DynamicMembers::describe).reduce((a, b) -> a + ", " + b).orElse("");
        String follows = resolved.dynamic().size() == 1 && resolved.dynamic().get(0).set().equals(reference.name())
                ? "'$" + reference.name() + "' follows the cluster (" + resolved.dynamic().get(0).source() + ")"
                : "'$" + reference.name() + "' includes " + what + ", which follow" + (resolved.dynamic().size() == 1 ? "s" : "")
                + " the cluster";
        if (cluster.membersOptional()) {
            if (!notedUnknown.add(reference.name() + "\0" + reference.span().file())) return true;
            diagnostics.add(new Diagnostic(Severity.NOTE, "members-unknown", reference.span(), follows
                    + "; its members are unknown without --cluster-state FILE, so the rules are checked but"
                    + " expectations that depend on them are not", List.of()));
            return true;
        }
        diagnostics.error("no-cluster-state", reference.span(), follows + ", but there is no cluster state to take"
                + " its members from: give --cluster-state FILE (as 'kubectl get pods,namespaces,services,endpointslices -A -o json'"
                + " prints it), or run 'fwpolicy serve' in the cluster");
        return false;
    }

    /**
     * A kernel set is named after a declared set, and a list has no name: {@code { $frontend, 10.0.0.1 }}
     * inline would have to be expanded, and then pods would come and go as rules.
     */
    private void dynamicInList(Addresses written, ResolvedAddresses resolved) {
        String names = resolved.dynamic().stream().map(d -> "$" + d.set()).distinct().reduce((a, b) -> a + ", " + b).orElse("");
        diagnostics.error("dynamic-set-in-list", written.span(), names + " follow" + (names.contains(",") ? "" : "s")
                + " the cluster, so a rule matches it as a kernel set, which only a declared set can be: declare the list"
                + " as a set (set NAME = { ... }) and write $NAME here");
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
