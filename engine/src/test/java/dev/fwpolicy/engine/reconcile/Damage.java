package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * One kind of harm someone (a person, another controller, a buggy fwpolicy of the past) can do
 * to fwpolicy's rules. The ints pick chains, rules, positions and copy counts modulo what exists,
 * so random (and shrinking) values always describe a valid state.
 */
public record Damage(Kind kind, int a, int b, int c) {

    public enum Kind {
        DELETE_RULE, DUPLICATE_RULE, MOVE_RULE, EDIT_RULE, JUNK_RULE, FAKE_ID_RULE, DELETE_CHAIN,
        DROP_JUMP, DUPLICATE_JUMP, EDIT_JUMP, STALE_CHAIN, FOREIGN_RULE
    }

    public void applyTo(TableModel m) {
        List<String> owned = m.ownedChains();
        List<String> builtins = List.of("INPUT", "OUTPUT");
        switch (kind) {
            case DELETE_RULE -> withRule(m, owned, (list, i) -> { list.remove((int) i); });
            case DUPLICATE_RULE -> withRule(m, owned, (list, i) -> {
                // As in the kube-router incident: copies appended at the end, up to hundreds.
                String spec = list.get(i);
                for (int k = 0; k <= c % 300; k++) list.add(spec);
            });
            case MOVE_RULE -> withRule(m, owned, (list, i) -> {
                String spec = list.remove((int) i);
                list.add(c % (list.size() + 1), spec);
            });
            case EDIT_RULE -> withRule(m, owned, (list, i) -> list.set(i, edited(list.get(i))));
            case JUNK_RULE -> withChain(m, owned, list -> list.add(b % (list.size() + 1), junk(m.family, c, "")));
            case FAKE_ID_RULE -> withChain(m, owned, list -> list.add(b % (list.size() + 1),
                    junk(m.family, c, "-m comment --comment \"fwp1:JunkJunkJunk" + String.format("%04d", c % 10000) + " junk\" ")));
            case DELETE_CHAIN -> {
                if (owned.isEmpty()) return;
                String chain = owned.get(a % owned.size());
                m.rules.remove(chain);
                m.policies.remove(chain);
                m.rules.values().forEach(l -> l.removeIf(s -> s.endsWith("-j " + chain)));
            }
            case DROP_JUMP -> withRule(m, builtins, (list, i) -> { list.remove((int) i); });
            case DUPLICATE_JUMP -> withRule(m, builtins, (list, i) -> {
                String spec = list.get(i);
                for (int k = 0; k <= c % 50; k++) list.add((b + k) % (list.size() + 1), spec);
            });
            case EDIT_JUMP -> withRule(m, builtins, (list, i) -> list.set(i, edited(list.get(i))));
            case STALE_CHAIN -> {
                String chain = "FWP-I-old" + (a % 3);
                if (m.policies.containsKey(chain)) return;
                m.policies.put(chain, "-");
                m.rules.put(chain, new ArrayList<>(List.of(junk(m.family, b, ""), junk(m.family, c, ""))));
                m.rules.get("INPUT").add(0, "-m comment --comment \"fwp1:StaleJump" + String.format("%07d", a % 10_000_000) + " old\" -j " + chain);
                if (m.rules.containsKey("FWP-INPUT")) m.rules.get("FWP-INPUT").add(0, "-j " + chain);
            }
            case FOREIGN_RULE -> withChain(m, builtins, list -> list.add(b % (list.size() + 1), junk(m.family, c, "")));
        }
    }

    private void withChain(TableModel m, List<String> chains, java.util.function.Consumer<List<String>> f) {
        List<String> present = chains.stream().filter(m.rules::containsKey).toList();
        if (present.isEmpty()) return;
        f.accept(m.rules.get(present.get(a % present.size())));
    }

    private void withRule(TableModel m, List<String> chains, java.util.function.BiConsumer<List<String>, Integer> f) {
        List<String> present = chains.stream().filter(ch -> m.rules.containsKey(ch) && !m.rules.get(ch).isEmpty()).toList();
        if (present.isEmpty()) return;
        List<String> list = m.rules.get(present.get(a % present.size()));
        f.accept(list, b % list.size());
    }

    /** Same comment (so the same fwp1 id), different behaviour. */
    static String edited(String spec) {
        if (spec.endsWith("-j ACCEPT")) return spec.substring(0, spec.length() - "ACCEPT".length()) + "DROP";
        return spec.substring(0, spec.lastIndexOf("-j ")) + "-j ACCEPT";
    }

    /** A rule as iptables-save prints it; {@code comment} is empty or ends with a space. */
    static String junk(Family family, int n, String comment) {
        String src = family == Family.V4 ? "192.0.2." + (n % 250 + 1) + "/32" : "2001:db8:ffff::" + Integer.toHexString(n % 60000 + 1) + "/128";
        return "-s " + src + " " + comment + "-j DROP";
    }
}
