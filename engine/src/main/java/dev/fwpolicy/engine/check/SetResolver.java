package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.*;
import dev.fwpolicy.engine.cluster.DynamicMembers;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Resolves {@code $name} references inside one policy, flattening sets that reference
 * other sets. Reports undefined names (with did-you-mean), wrong kinds, cycles and
 * excessive nesting. Results are empty when anything was wrong.
 *
 * <p>A set that resolved cleanly is remembered with its height (how deep its references
 * go), so {@code s1 = {$s0, $s0, …}, s2 = {$s1, $s1, …}, …} costs one resolution per set
 * instead of an exponential walk; a remembered set used where its height would pass the
 * nesting limit is resolved again, so the limit is reported exactly where it was before.
 * Failed resolutions are not remembered (their diagnostics depend on the path: cycles), so
 * a budget of {@link #MAX_REFERENCES} followed references bounds what hostile nesting of
 * failing sets can cost.
 */
final class SetResolver {
    static final int MAX_REFERENCES = 1_000_000;
    private final Scope scope;
    private final Diagnostics diagnostics;
    private final int maxNesting;
    private final Deque<String> resolving = new ArrayDeque<>();
    private final Map<String, Resolved<?>> resolved = new HashMap<>();
    private final ClusterMembers cluster;
    /** The dynamic sets met while resolving the current expression (through nested sets too). */
    private Gathered gathering = new Gathered();
    private int height;
    private int references;
    private boolean budgetReported;

    /**
     * A cleanly resolved set's members (normalised), how many levels of references it has, and
     * the dynamic sets it includes.
     */
    private record Resolved<T>(List<T> members, int height, List<DynamicMembers> dynamic) {}

    SetResolver(Scope scope, Diagnostics diagnostics, int maxNesting, ClusterMembers cluster) {
        this.scope = scope;
        this.cluster = cluster;
        this.diagnostics = diagnostics;
        this.maxNesting = maxNesting;
    }

    Optional<ResolvedAddresses> addresses(Addresses addresses) {
        if (addresses instanceof NegatedAddresses n) return addresses(n.inner()).map(ResolvedAddresses::negate);
        var set = (AddressSet) addresses;
        var outer = gathering;
        gathering = new Gathered();
        Optional<List<Cidr>> cidrs;
        List<DynamicMembers> dynamic;
        try {
            cidrs = addressMembers(set.members());
            dynamic = gathering.list();
        } finally {
            gathering = outer;
        }
        if (cidrs.isEmpty()) return Optional.empty();
        // A dynamic set may hold no pod at the moment: still a set, matched as a (empty) kernel set.
        if (cidrs.get().isEmpty() && dynamic.isEmpty()) {
            if (diagnostics.hasErrorWithin(set.span())) return Optional.empty();
            diagnostics.error("empty-set", set.span(), "an empty address set matches nothing; remove the rule or add addresses");
            return Optional.empty();
        }
        return Optional.of(new ResolvedAddresses(cidrs.get(), false, dynamic));
    }

    private Optional<List<Cidr>> addressMembers(List<AddressMember> members) {
        var out = new ArrayList<Cidr>();
        boolean ok = true;
        for (var m : members) {
            if (m instanceof AddressLiteral l) {
                out.add(l.cidr());
            } else if (m instanceof AnyAddress) {
                out.add(Cidr.all(Family.V4));
                out.add(Cidr.all(Family.V6));
            } else {
                var ref = (AddressReference) m;
                if (scope.lookup(ref.name()).orElse(null) instanceof DynamicSetDecl dynamic) {
                    var fromCluster = cluster.of(dynamic);
                    gathering.add(fromCluster);
                    for (var member : fromCluster.members()) out.add(Cidr.host(member.address()));
                    continue;
                }
                var resolved = reference(ref.name(), ref.span(), AddressSetDecl.class, "address set")
                        .flatMap(decl -> nested(ref.name(), ref.span(), Cidr::normalize,
                                () -> addressMembers(((AddressSetDecl) decl).set().members())));
                if (resolved.isPresent()) out.addAll(resolved.get());
                else ok = false;
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    Optional<List<PortRange>> ports(PortSet set) {
        var ranges = portMembers(set.members());
        if (ranges.isEmpty()) return Optional.empty();
        if (ranges.get().isEmpty()) {
            if (diagnostics.hasErrorWithin(set.span())) return Optional.empty();
            diagnostics.error("empty-set", set.span(), "an empty port set matches nothing; remove the rule or add ports");
            return Optional.empty();
        }
        return Optional.of(PortRange.normalize(ranges.get()));
    }

    private Optional<List<PortRange>> portMembers(List<PortMember> members) {
        var out = new ArrayList<PortRange>();
        boolean ok = true;
        for (var m : members) {
            if (m instanceof PortLiteral l) {
                out.add(l.range());
            } else {
                var ref = (PortReference) m;
                var resolved = reference(ref.name(), ref.span(), PortSetDecl.class, "port set")
                        .flatMap(decl -> nested(ref.name(), ref.span(), PortRange::normalize,
                                () -> portMembers(((PortSetDecl) decl).set().members())));
                if (resolved.isPresent()) out.addAll(resolved.get());
                else ok = false;
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    private Optional<PolicyItem> reference(String name, Span span, Class<? extends PolicyItem> kind, String kindName) {
        var item = scope.lookup(name);
        if (item.isEmpty()) {
            diagnostics.error("undefined-name", span, "'$" + name + "' is not defined"
                    + (diagnostics.full() ? "" : NameSuggester.hint(name, scope.names())));
            return Optional.empty();
        }
        if (!kind.isInstance(item.get())) {
            String actual = item.get() instanceof PortSetDecl ? "a port set"
                    : item.get() instanceof DynamicSetDecl ? "a set of cluster addresses" : "an address set";
            diagnostics.add(Diagnostic.error("wrong-kind", span, "'$" + name + "' is " + actual + ", but " + article(kindName)
                            + " is expected here")
                    .withRelated(item.get().span(), "'" + name + "' is defined here"));
            return Optional.empty();
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<List<T>> nested(String name, Span span, UnaryOperator<List<T>> normalize,
                                         Supplier<Optional<List<T>>> body) {
        var known = (Resolved<T>) resolved.get(name);
        if (known != null && resolving.size() + known.height() <= maxNesting) {
            height = Math.max(height, known.height());
            gathering.addAll(known.dynamic());
            return Optional.of(known.members());
        }
        if (++references > MAX_REFERENCES) {
            if (!budgetReported) {
                diagnostics.error("limit-exceeded", span, "sets refer to each other more than " + MAX_REFERENCES
                        + " times; simplify how they include one another");
                budgetReported = true;
            }
            return Optional.empty();
        }
        if (resolving.contains(name)) {
            diagnostics.error("cyclic-definition", span, "'$" + name + "' refers to itself through " + String.join(" -> ", resolving));
            return Optional.empty();
        }
        if (resolving.size() >= maxNesting) {
            diagnostics.error("limit-exceeded", span, "sets nest more than " + maxNesting + " levels deep");
            return Optional.empty();
        }
        resolving.push(name);
        int outerHeight = height;
        height = 0;
        var outerGathering = gathering;
        gathering = new Gathered();
        try {
            var members = body.get();
            height += 1;
            if (members.isPresent()) {
                var normalised = normalize.apply(members.get());
                resolved.put(name, new Resolved<>(normalised, height, gathering.list()));
                return Optional.of(normalised);
            }
            return members;
        } finally {
            height = Math.max(outerHeight, height);
            outerGathering.addAll(gathering.list());
            gathering = outerGathering;
            resolving.pop();
        }
    }

    private static String article(String kind) {
        return (kind.startsWith("a") ? "an " : "a ") + kind;
    }

    /**
     * Dynamic sets in the order met, each once. By identity: {@link ClusterMembers} gives one
     * instance per declaration, and hashing a record of 10,000 members at every reference would
     * make each use of a big dynamic set cost as much as its members.
     */
    private static final class Gathered {
        private final List<DynamicMembers> list = new ArrayList<>();
        private final java.util.Set<DynamicMembers> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        void add(DynamicMembers d) {
            if (seen.add(d)) list.add(d);
        }

        void addAll(List<DynamicMembers> all) {
            for (var d : all) add(d);
        }

        List<DynamicMembers> list() {
            return List.copyOf(list);
        }
    }
}
