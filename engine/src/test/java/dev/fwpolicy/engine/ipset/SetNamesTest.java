package dev.fwpolicy.engine.ipset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.net.Family;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class SetNamesTest {

    @Test
    void nameIsPrefixedReadableAndFitsWithItsTwin() {
        String n = SetNames.of("web-frontend", "clients", Family.V4);
        assertThat(n).isEqualTo(SetNames.of("web-frontend", "clients", Family.V4)).startsWith("fwp-web-frontend-cl-4").matches("fwp-[a-z0-9_-]+-4[a-z2-7]{8}");
        assertThat(SetNames.temporary(n).length()).isLessThanOrEqualTo(SetNames.IPSET_MAX);
        String longest = SetNames.of("p".repeat(300), "s".repeat(300), Family.V6);
        assertThat(longest.length()).isLessThanOrEqualTo(29);
        assertThat(SetNames.temporary(longest)).hasSizeLessThanOrEqualTo(31);
        assertThat(SetNames.isTemporary(SetNames.temporary(longest))).isTrue();
        assertThat(SetNames.isTemporary(longest)).isFalse();
        assertThat(SetNames.of("Ünïcode.policy", "A$b", Family.V4)).matches("fwp-[a-z0-9_-]+-4[a-z2-7]{8}");
    }

    @Test
    void nameDependsOnPolicySetAndFamilyOnly() {
        String a = SetNames.of("web", "clients", Family.V4);
        assertThat(SetNames.of("web", "clients", Family.V4)).isEqualTo(a);
        assertThat(SetNames.of("web", "clients", Family.V6)).isNotEqualTo(a);
        assertThat(SetNames.of("web2", "clients", Family.V4)).isNotEqualTo(a);
        assertThat(SetNames.of("web", "clients2", Family.V4)).isNotEqualTo(a);
        // "a-b"+"c" and "a"+"b-c" read the same but are different sets.
        assertThat(SetNames.of("a-b", "c", Family.V4)).isNotEqualTo(SetNames.of("a", "b-c", Family.V4));
    }

    @Test
    void truncatedReadablePartsStayDistinct() {
        var names = new HashSet<String>();
        for (int i = 0; i < 2000; i++) names.add(SetNames.of("a-very-long-policy-name-that-gets-cut", "set" + i, Family.V4));
        assertThat(names).hasSize(2000).allMatch(n -> n.length() <= 29);
    }

    @Test
    void ownershipIsThePrefix() {
        assertThat(SetNames.isOwned("fwp-x")).isTrue();
        assertThat(SetNames.isOwned("kube-router-x")).isFalse();
        assertThat(SetNames.isOwned("FWP-x")).isFalse();
    }
}
