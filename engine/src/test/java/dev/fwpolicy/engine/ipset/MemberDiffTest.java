package dev.fwpolicy.engine.ipset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberDiffTest {

    static List<Cidr> cidrs(String... s) {
        return Arrays.stream(s).map(x -> Cidr.parseStrict(x).orElseThrow()).toList();
    }

    @Test
    void sameMembersHoweverWrittenAreTheSameSet() {
        var a = KernelSet.desired("fwp-x", Family.V4, cidrs("10.1.0.0/25", "10.1.0.128/25", "192.0.2.7", "192.0.2.7/32", "10.1.0.3"), 65536);
        var b = KernelSet.desired("fwp-x", Family.V4, cidrs("192.0.2.7", "10.1.0.0/24"), 65536);
        assertThat(a).isEqualTo(b);
        assertThat(a.members()).isEqualTo(cidrs("10.1.0.0/24", "192.0.2.7"));
        assertThat(MemberDiff.between(a, b).isEmpty()).isTrue();
    }

    @Test
    void missingAndExtraAreExact() {
        var want = KernelSet.desired("fwp-x", Family.V4, cidrs("10.0.0.0/8", "192.0.2.1", "192.0.2.3"), 65536);
        var have = new KernelSet("fwp-x", want.shape(), cidrs("10.0.0.0/8", "10.1.0.0/16", "192.0.2.3", "198.51.100.0/24"));
        var d = MemberDiff.between(want, have);
        assertThat(d.missing()).isEqualTo(cidrs("192.0.2.1"));
        assertThat(d.extra()).isEqualTo(cidrs("10.1.0.0/16", "198.51.100.0/24"));
        assertThat(d.size()).isEqualTo(3);
    }

    @Test
    void desiredSetRefusesOtherFamilyAndEverything() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelSet.desired("fwp-x", Family.V4, cidrs("2001:db8::/32"), 10))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelSet.desired("fwp-x", Family.V4, cidrs("0.0.0.0/1", "128.0.0.0/1"), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0.0.0/0");
    }
}
