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

    /** Collects counters line by line, in the order the tool prints the rules of each chain. */
    public static final class Builder {
        private final Map<String, long[]> byChain = new HashMap<>();
        private final Map<String, Integer> sizes = new HashMap<>();

        public void add(String chain, long packets, long bytes) {
            int n = sizes.getOrDefault(chain, 0);
            long[] values = byChain.get(chain);
            if (values == null || values.length < 2 * n + 2) {
                values = java.util.Arrays.copyOf(values == null ? new long[0] : values, Math.max(8, 4 * n + 4));
                byChain.put(chain, values);
            }
            values[2 * n] = packets;
            values[2 * n + 1] = bytes;
            sizes.put(chain, n + 1);
        }

        public TableCounters build() {
            var trimmed = new HashMap<String, long[]>();
            byChain.forEach((chain, values) -> trimmed.put(chain, java.util.Arrays.copyOf(values, 2 * sizes.get(chain))));
            return new TableCounters(Collections.unmodifiableMap(trimmed), true);
        }
    }
}
