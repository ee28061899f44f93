package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.net.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * How a set's members in the kernel differ from the desired ones. Exact comparison of
 * networks: a hand-added {@code 10.1.0.0/16} inside a desired {@code 10.0.0.0/8} matches no
 * other packet but is still not fwpolicy's member, so it is extra and goes.
 */
public record MemberDiff(List<Cidr> missing, List<Cidr> extra) {

    public MemberDiff {
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
    }

    /** Both member lists are sorted and distinct ({@link KernelSet}), so one merge pass does it. */
    public static MemberDiff between(KernelSet desired, KernelSet actual) {
        var want = desired.members();
        var have = actual.members();
        var missing = new ArrayList<Cidr>();
        var extra = new ArrayList<Cidr>();
        int i = 0, j = 0;
        while (i < want.size() || j < have.size()) {
            int c = i == want.size() ? 1 : j == have.size() ? -1 : want.get(i).compareTo(have.get(j));
            if (c < 0) missing.add(want.get(i++));
            else if (c > 0) extra.add(have.get(j++));
            else {
                i++;
                j++;
            }
        }
        return new MemberDiff(missing, extra);
    }

    public int size() {
        return missing.size() + extra.size();
    }

    public boolean isEmpty() {
        return missing.isEmpty() && extra.isEmpty();
    }
}
