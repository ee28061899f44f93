package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.net.Cidr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans the {@code ipset restore} payload that makes fwpolicy's sets in the kernel equal the
 * desired ones, from a read-back alone (never {@code ipset test}).
 *
 * <p>Order inside the payload, which {@code ipset restore} runs line by line (it is not one
 * transaction): leftover twins are destroyed first, so their names are free; then every
 * desired set is created or corrected; last, owned sets nobody wants are destroyed, but only
 * when no rule references them ({@code referenced}, from the iptables read-back). The caller
 * runs this payload before the iptables payload, so a new rule never names a set that does
 * not exist yet, and a set a removed rule still names is destroyed by a later sync.
 *
 * <p>A change of more than {@code smallChange} members is filled into a twin and swapped in:
 * {@code ipset swap} exchanges the two sets at once for the packet path, while a long run of
 * {@code add}/{@code del} lines would be seen half done.
 */
public final class SetPlanner {
    /** Up to this many member edits are written as add/del lines. */
    public static final int DEFAULT_SMALL_CHANGE = 64;

    private final int smallChange;

    public SetPlanner() {
        this(DEFAULT_SMALL_CHANGE);
    }

    public SetPlanner(int smallChange) {
        if (smallChange < 0) throw new IllegalArgumentException("smallChange < 0");
        this.smallChange = smallChange;
    }

    /** As {@link #plan(List, KernelSets, Set, Set)} with every reference treated as another program's. */
    public SetPlan plan(List<KernelSet> desired, KernelSets kernel, Set<String> referenced) {
        return plan(desired, kernel, referenced, referenced);
    }

    /**
     * @param referenced         sets any rule of the read-back names
     * @param referencedByOthers sets a rule outside fwpolicy's own chains names: fwpolicy never
     *                           takes such a rule out, so a set of the wrong type it holds stays blocked
     */
    public SetPlan plan(List<KernelSet> desired, KernelSets kernel, Set<String> referenced, Set<String> referencedByOthers) {
        var lines = new ArrayList<String>();
        var changes = new ArrayList<SetChange>();
        var problems = new ArrayList<String>();
        var wanted = new HashSet<String>();
        for (var d : desired) {
            if (!SetNames.isOwned(d.name()) || SetNames.isTemporary(d.name())) throw new IllegalArgumentException("not a primary fwpolicy set name: " + d.name());
            if (!wanted.add(d.name())) throw new IllegalArgumentException("set " + d.name() + " desired twice");
        }
        for (var k : kernel.owned().values()) {
            if (SetNames.isTemporary(k.name()) && referenced.contains(k.name())) {
                problems.add("set " + k.name() + " is a twin left by an interrupted swap, but a rule references it; remove that rule");
            } else if (SetNames.isTemporary(k.name())) {
                lines.add("destroy " + k.name());
                changes.add(new SetChange(k.name(), SetChange.Kind.TEMPORARY_DESTROYED, 0, 0));
            }
        }
        for (var d : desired) {
            var actual = kernel.get(d.name());
            if (actual.isEmpty()) {
                create(lines, d.name(), d);
                changes.add(new SetChange(d.name(), SetChange.Kind.CREATED, d.members().size(), 0));
                continue;
            }
            var k = actual.get();
            if (k.shape().equals(d.shape())) {
                var diff = MemberDiff.between(d, k);
                var kind = diff.isEmpty() ? SetChange.Kind.IN_SYNC : diff.size() <= smallChange ? SetChange.Kind.EDITED : SetChange.Kind.SWAPPED;
                if (kind == SetChange.Kind.EDITED) {
                    for (Cidr c : diff.missing()) lines.add("add " + d.name() + " " + c.withPrefix());
                    for (Cidr c : diff.extra()) lines.add("del " + d.name() + " " + c.withPrefix());
                } else if (kind == SetChange.Kind.SWAPPED) {
                    swapIn(lines, d);
                }
                changes.add(new SetChange(d.name(), kind, diff.missing().size(), diff.extra().size()));
            } else if (k.shape().swappableWith(d.shape())) {
                var diff = MemberDiff.between(d, k);
                swapIn(lines, d);
                changes.add(new SetChange(d.name(), SetChange.Kind.REPAIRED, diff.missing().size(), diff.extra().size()));
            } else if (!referenced.contains(d.name())) {
                lines.add("destroy " + d.name());
                create(lines, d.name(), d);
                changes.add(new SetChange(d.name(), SetChange.Kind.RECREATED, d.members().size(), k.members().size()));
            } else if (!referencedByOthers.contains(d.name())) {
                // Only fwpolicy's rules hold it: the reconciler takes them out, and the next plan recreates it.
                changes.add(new SetChange(d.name(), SetChange.Kind.RELEASE, d.members().size(), k.members().size()));
            } else {
                problems.add("set " + d.name() + " is a " + k.shape().type() + " of family " + k.shape().family() + ", not "
                        + d.shape().type() + " of family " + d.shape().family() + ", and a rule of another program references it,"
                        + " so it can be neither swapped nor destroyed; remove that rule and sync again");
                changes.add(new SetChange(d.name(), SetChange.Kind.BLOCKED, d.members().size(), k.members().size()));
            }
        }
        for (var k : kernel.owned().values()) {
            if (SetNames.isTemporary(k.name()) || wanted.contains(k.name())) continue;
            if (referenced.contains(k.name())) {
                changes.add(new SetChange(k.name(), SetChange.Kind.DESTROY_PENDING, 0, k.members().size()));
            } else {
                lines.add("destroy " + k.name());
                changes.add(new SetChange(k.name(), SetChange.Kind.DESTROYED, 0, k.members().size()));
            }
        }
        return new SetPlan(lines, changes, problems);
    }

    private static void create(List<String> lines, String name, KernelSet set) {
        lines.add("create " + name + " " + set.shape().createArguments());
        for (Cidr c : set.members()) lines.add("add " + name + " " + c.withPrefix());
    }

    private static void swapIn(List<String> lines, KernelSet set) {
        String twin = SetNames.temporary(set.name());
        create(lines, twin, set);
        lines.add("swap " + set.name() + " " + twin);
        lines.add("destroy " + twin);
    }
}
