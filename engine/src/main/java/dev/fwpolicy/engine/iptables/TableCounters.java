package dev.fwpolicy.engine.iptables;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The counters of one read-back, kept beside the rules rather than in them: a re-read whose
 * rules are the same but whose counters moved reuses the parsed rules (and the quiet plan made
 * against them), and only these numbers are new.
 */
public final class TableCounters {
    public static final TableCounters NONE = new TableCounters(Map.of(), false);

    /** Per chain: packets and bytes of rule n (1-based) at indices 2(n-1) and 2(n-1)+1. */
    private final Map<String, long[]> byChain;
    private final boolean read;

    private TableCounters(Map<String, long[]> byChain, boolean read) {
        this.byChain = byChain;
        this.read = read;
    }

    /** Whether the read-back asked for counters ({@code -c}). */
    public boolean read() {
        return read;
    }

    /** The counters of the rule at {@code position} of {@code chain}; empty when not read. */
    public Optional<Counters> of(String chain, int position) {
        long[] values = byChain.get(chain);
        int i = 2 * (position - 1);
        if (values == null || i < 0 || i + 1 >= values.length) return Optional.empty();
        return Optional.of(new Counters(values[i], values[i + 1]));
    }

    public Optional<Counters> of(KernelRule rule) {
        return of(rule.chain(), rule.position());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A chain's counters by position, for a caller that reads a whole chain (rule hits): one map
     * lookup per chain rather than per rule. Empty when not read or the chain printed no rule.
     */
    public Optional<ChainCounters> chain(String name) {
        long[] values = byChain.get(name);
        return values == null ? Optional.empty() : Optional.of(new ChainCounters(values));
    }

    /** One chain's counters; {@link #of(int)} takes the 1-based rule number. */
    public static final class ChainCounters {
        private final long[] values;

        private ChainCounters(long[] values) {
            this.values = values;
        }

        public int size() {
            return values.length / 2;
        }

        public Counters of(int position) {
            int i = 2 * (position - 1);
            if (i < 0 || i + 1 >= values.length) return Counters.ZERO;
            return new Counters(values[i], values[i + 1]);
        }
    }

    /**
     * Collects counters line by line, in the order the tool prints the rules of each chain. A
     * chain's rules come together: the current chain's array is kept at hand, not looked up per rule.
     */
    public static final class Builder {
        private final Map<String, long[]> byChain = new HashMap<>();
        private final Map<String, Integer> sizes = new HashMap<>();
        private String current;
        private long[] values;
        private int size;

        public void add(String chain, long packets, long bytes) {
            if (!chain.equals(current)) {
                park();
                current = chain;
                values = byChain.get(chain);
                size = sizes.getOrDefault(chain, 0);
                if (values == null) values = new long[64];
            }
            if (values.length < 2 * size + 2) values = java.util.Arrays.copyOf(values, 4 * size + 4);
            values[2 * size] = packets;
            values[2 * size + 1] = bytes;
            size++;
        }

        private void park() {
            if (current == null) return;
            byChain.put(current, values);
            sizes.put(current, size);
        }

        public TableCounters build() {
            park();
            current = null;
            var trimmed = new HashMap<String, long[]>();
            byChain.forEach((chain, v) -> trimmed.put(chain, java.util.Arrays.copyOf(v, 2 * sizes.get(chain))));
            return new TableCounters(Collections.unmodifiableMap(trimmed), true);
        }
    }
}
