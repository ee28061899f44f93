package dev.fwpolicy.engine.ipset;

import java.util.List;

/**
 * The set side of one sync: the {@code ipset restore} lines (empty when nothing is to be
 * written), what happens to each owned set, and what cannot be done this round.
 */
public record SetPlan(List<String> lines, List<SetChange> changes, List<String> problems) {

    public SetPlan {
        lines = List.copyOf(lines);
        changes = List.copyOf(changes);
        problems = List.copyOf(problems);
    }

    /** Nothing to do and nothing found (a rule set without kernel sets, and none in the kernel). */
    public static final SetPlan NONE = new SetPlan(List.of(), List.of(), List.of());

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The payload for {@code ipset restore}. */
    public String payload() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    public int missingMembers() {
        return changes.stream().mapToInt(SetChange::missingMembers).sum();
    }

    public int extraMembers() {
        return changes.stream().mapToInt(SetChange::extraMembers).sum();
    }
}
