package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.PortRange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Earlier deciding rules of one family and direction, indexed so that finding the first one
 * that covers a rule looks only at rules that could: by source network, then destination
 * network, then destination ports. A rule can only be covered by a rule whose source is
 * any address, a negation, or a network containing its own source (one lookup per prefix
 * length in use, not one comparison per earlier rule); likewise for the destination; and by
 * a rule whose ports are any port, exactly its own, or a wider list that holds them. A policy
 * of 40,000 rules on one port from different hosts is then checked in linear time; only
 * many distinct wide port lists on the same addresses are still compared one by one.
 */
final class CoverIndex {
    /** An earlier rule and its place in evaluation order: the earliest cover is the one that decides. */
    record Entry(int order, LoweredRule rule) {}

    private final AddressLevel<AddressLevel<PortLevel>> root =
            new AddressLevel<>(() -> new AddressLevel<>(PortLevel::new));
    private int size;

    void add(LoweredRule r) {
        var m = r.match();
        root.slot(m.source()).slot(m.destination()).add(m.destinationPorts(), new Entry(size++, r));
    }

    /**
     * The earliest indexed rule that covers {@code r}, if any. {@code budget} counts the exact
     * comparisons made; it returns empty once the budget is spent.
     */
    Optional<LoweredRule> findCover(LoweredRule r, Budget budget) {
        var m = r.match();
        var best = new Entry[1];
        root.forEachCandidate(m.source(), sources -> sources.forEachCandidate(m.destination(), ports ->
                ports.forEachCandidate(m.destinationPorts(), budget, list -> {
                    for (var e : list) {
                        if (best[0] != null && e.order() > best[0].order()) return;
                        if (!budget.spend()) return;
                        if (Coverage.covers(e.rule().match(), m)) {
                            best[0] = e;
                            return;
                        }
                    }
                })));
        return Optional.ofNullable(best[0]).map(Entry::rule);
    }

    /** How many exact comparisons the analysis may make in all. */
    static final class Budget {
        private long left;

        Budget(long comparisons) {
            this.left = comparisons;
        }

        boolean spend() {
            return left-- > 0;
        }

        boolean spent() {
            return left < 0;
        }
    }

    /** One address dimension: any address, negated networks, and networks by exact value. */
    private static final class AddressLevel<T> {
        private final Supplier<T> child;
        private T any;
        private T negated;
        // Made on the first network: most slots below the first level only ever hold "any".
        private Map<Cidr, T> byNetwork = Map.of();
        private final BitSet prefixes = new BitSet();

        AddressLevel(Supplier<T> child) {
            this.child = child;
        }

        T slot(Optional<AddressMatch> match) {
            if (match.isEmpty()) return any == null ? any = child.get() : any;
            if (match.get().negated()) return negated == null ? negated = child.get() : negated;
            var cidr = match.get().cidr();
            prefixes.set(cidr.prefix());
            if (byNetwork.isEmpty()) byNetwork = new HashMap<>();
            return byNetwork.computeIfAbsent(cidr, c -> child.get());
        }

        /** Each slot whose rules might cover {@code inner} (see {@link Coverage}); the check itself is exact. */
        void forEachCandidate(Optional<AddressMatch> inner, Consumer<T> visit) {
            if (any != null) visit.accept(any);
            if (inner.isEmpty()) return;
            if (negated != null) visit.accept(negated);
            if (inner.get().negated()) return;
            var cidr = inner.get().cidr();
            for (int p = prefixes.nextSetBit(0); p >= 0 && p <= cidr.prefix(); p = prefixes.nextSetBit(p + 1)) {
                var t = byNetwork.get(Cidr.networkOf(cidr.address(), p));
                if (t != null) visit.accept(t);
            }
        }
    }

    /** The port dimension: rules by their exact destination port list, wide lists remembered apart. */
    private static final class PortLevel {
        private final Map<List<PortRange>, List<Entry>> byPorts = new HashMap<>(4);
        private Map<List<PortRange>, List<Entry>> wide = Map.of(); // made on the first wide list

        void add(List<PortRange> ports, Entry e) {
            byPorts.computeIfAbsent(ports, k -> new ArrayList<>(2)).add(e);
            if (isWide(ports)) {
                if (wide.isEmpty()) wide = new LinkedHashMap<>();
                wide.putIfAbsent(ports, byPorts.get(ports));
            }
        }

        void forEachCandidate(List<PortRange> inner, Budget budget, Consumer<List<Entry>> visit) {
            var anyPort = byPorts.get(List.<PortRange>of());
            if (anyPort != null) visit.accept(anyPort);
            if (inner.isEmpty()) return;
            var exact = byPorts.get(inner);
            if (exact != null) visit.accept(exact);
            for (var e : wide.entrySet()) {
                if (!budget.spend()) return;
                if (!e.getKey().equals(inner) && PortRange.covers(e.getKey(), inner)) visit.accept(e.getValue());
            }
        }

        /** A list that can hold another list than itself: more than one port, not "any port". */
        private static boolean isWide(List<PortRange> ports) {
            return !ports.isEmpty() && !(ports.size() == 1 && ports.get(0).isSingle());
        }
    }
}
