package dev.fwpolicy.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CidrTest {

    /**
     * {@link Cidr#contains(Cidr)} and the sibling merge in {@link Cidr#normalize} work on bits
     * directly; here they are held to the definitions (mask to the shorter prefix, build the
     * parent with {@link Cidr#networkOf}) over random networks of both families, crowded into a
     * small space so that containment and mergeable halves are common.
     */
    @Test
    void containmentAndNormalFormAgreeWithTheirDefinitions() {
        var random = new Random(13);
        int merges = 0, containments = 0;
        for (int round = 0; round < 400; round++) {
            var list = new ArrayList<Cidr>();
            for (int i = 0; i < 40; i++) list.add(random(random));
            for (Cidr a : list) {
                for (Cidr b : list) {
                    boolean expected = a.family() == b.family() && b.prefix() >= a.prefix()
                            && Cidr.networkOf(b.address(), a.prefix()).equals(a);
                    assertThat(a.contains(b)).as(a + " contains " + b).isEqualTo(expected);
                    if (expected && !a.equals(b)) containments++;
                }
            }
            var normal = Cidr.normalize(list);
            var reference = referenceNormalize(list);
            assertThat(normal).as(list.toString()).isEqualTo(reference);
            if (normal.stream().anyMatch(c -> !list.contains(c))) merges++;
        }
        assertThat(merges).as("rounds where halves merged").isGreaterThan(20);
        assertThat(containments).as("proper containments seen").isGreaterThan(1000);
    }

    private static Cidr random(Random random) {
        if (random.nextBoolean()) {
            long address = 0x0A00_0000L | random.nextInt(64);
            return Cidr.networkOf(new Address(Family.V4, 0, address), 26 + random.nextInt(7));
        }
        boolean low = random.nextBoolean();
        long hi = 0x2001_0db8_0000_0000L | (low ? 0 : random.nextInt(16));
        long lo = low ? random.nextInt(16) : 0;
        int prefix = low ? 124 + random.nextInt(5) : 60 + random.nextInt(5);
        return Cidr.networkOf(new Address(Family.V6, hi, lo), prefix);
    }

    /** The normal form as first written: build each parent and compare. */
    private static List<Cidr> referenceNormalize(List<Cidr> cidrs) {
        var sorted = new ArrayList<>(cidrs);
        sorted.sort(null);
        var out = new ArrayList<Cidr>();
        for (var c : sorted) {
            if (!out.isEmpty() && containsByMask(out.get(out.size() - 1), c)) continue;
            out.add(c);
            while (out.size() >= 2) {
                var b = out.get(out.size() - 1);
                var a = out.get(out.size() - 2);
                if (a.family() != b.family() || a.prefix() != b.prefix() || a.prefix() == 0) break;
                var parent = Cidr.networkOf(a.address(), a.prefix() - 1);
                if (!parent.equals(new Cidr(a.family(), a.hi(), a.lo(), a.prefix() - 1)) || !containsByMask(parent, b)) break;
                out.remove(out.size() - 1);
                out.remove(out.size() - 1);
                out.add(parent);
            }
        }
        return out;
    }

    private static boolean containsByMask(Cidr a, Cidr b) {
        return a.family() == b.family() && b.prefix() >= a.prefix() && Cidr.networkOf(b.address(), a.prefix()).equals(a);
    }
}
