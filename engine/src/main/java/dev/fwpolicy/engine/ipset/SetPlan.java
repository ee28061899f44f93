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

    /** Nothing to write now and no set waiting for fwpolicy's rules to let go of it. */
    public boolean isEmpty() {
        return lines.isEmpty() && toRelease().isEmpty();
    }

    /** Sets to recreate once fwpolicy's own rules stop naming them ({@link SetChange.Kind#RELEASE}). */
    public java.util.Set<String> toRelease() {
        var names = new java.util.LinkedHashSet<String>();
        for (var c : changes) if (c.kind() == SetChange.Kind.RELEASE) names.add(c.name());
        return names;
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
