package dev.fwpolicy.engine.ipset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SetReferencesTest {
    @Test
    void findsEveryNamedSetNegatedOrNot() {
        assertThat(SetReferences.in(List.of(
                "-m set --match-set fwp-a src -j DROP",
                "-p tcp -m set ! --match-set fwp-b dst -m set --match-set kube-c src,dst -j ACCEPT",
                "-s 10.0.0.0/8 -j ACCEPT",
                "-m comment --comment \"x\" -m set --match-set fwp-d")))
                .containsExactlyInAnyOrder("fwp-a", "fwp-b", "kube-c", "fwp-d");
    }
}
