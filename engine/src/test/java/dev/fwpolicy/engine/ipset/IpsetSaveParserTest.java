package dev.fwpolicy.engine.ipset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpsetSaveParserTest {
    /** As ipset v7.17 prints it (hosts of a hash:net without /32, members in hash order). */
    private static final String SAVE = """
            create fwp-a hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xca5b5581
            add fwp-a 192.168.1.1
            add fwp-a 10.0.0.0/8
            add fwp-a 10.1.0.0/16
            create fwp-b hash:net family inet6 hashsize 1024 maxelem 100 bucketsize 12 initval 0x30b3db3f
            add fwp-b 2001:db8::/32
            add fwp-b 2001:db8:1::1
            create other hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x61490fd7
            add other 10.0.0.1,tcp:80
            create fwp-c hash:net family inet hashsize 1024 maxelem 65536 comment bucketsize 12 initval 0x23d0a226
            add fwp-c 1.2.3.0/24 comment "hi there"
            create fwp-e hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x23d0a226
            """;

    private static Cidr c(String s) {
        return Cidr.parseStrict(s).orElseThrow();
    }

    @Test
    void readsOwnedSetsFullyAndOnlyNamesForeignOnes() {
        var sets = IpsetSaveParser.parse(SAVE);
        assertThat(sets.owned().keySet()).containsExactly("fwp-a", "fwp-b", "fwp-c", "fwp-e");
        assertThat(sets.foreign()).containsExactly("other");
        var a = sets.get("fwp-a").orElseThrow();
        assertThat(a.shape()).isEqualTo(new SetShape("hash:net", "inet", 65536, List.of()));
        assertThat(a.members()).containsExactly(c("10.0.0.0/8"), c("10.1.0.0/16"), c("192.168.1.1/32"));
        var b = sets.get("fwp-b").orElseThrow();
        assertThat(b.shape().maxElements()).isEqualTo(100);
        assertThat(b.members()).containsExactly(c("2001:db8::/32"), c("2001:db8:1::1"));
        assertThat(sets.get("fwp-e").orElseThrow().members()).isEmpty();
        assertThat(sets.raw()).isEqualTo(SAVE);
    }

    @Test
    void ownedSetOfAnotherShapeIsKeptWithoutMembersToBeReplaced() {
        var cset = IpsetSaveParser.parse(SAVE).get("fwp-c").orElseThrow();
        assertThat(cset.shape().otherOptions()).containsExactly("comment");
        assertThat(cset.members()).isEmpty();
        var hashIp = IpsetSaveParser.parse("create fwp-x hash:ip,port family inet hashsize 1024 maxelem 65536\nadd fwp-x 10.0.0.1,tcp:80\n");
        assertThat(hashIp.get("fwp-x").orElseThrow().shape().type()).isEqualTo("hash:ip,port");
    }

    @Test
    void noSetsIsEmptyOutput() {
        assertThat(IpsetSaveParser.parse("").owned()).isEmpty();
    }

    @Test
    void anomaliesAreErrorsNeverEmptySets() {
        for (String bad : List.of(
                "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nflush fwp-a\n",
                "add fwp-a 10.0.0.0/8\n",
                "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nadd fwp-a 10.0.0.0/33\n",
                "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nadd fwp-a 2001:db8::/32\n",
                "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nadd fwp-a 10.0.0.0/8 timeout 5\n",
                "create fwp-a hash:net family inet hashsize 1024 maxelem\n",
                "create fwp-a hash:net hashsize 1024\n",
                "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\ncreate fwp-a hash:net family inet hashsize 1024 maxelem 65536\n",
                "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nadd fwp-a  10.0.0.0/8\n",
                "ipset v7.17: Kernel error received: Operation not permitted\n",
                // found by ReadBackFuzzTest: these two escaped as IllegalArgumentException
                "create fwp-caf\u00e9 hash:net family inet hashsize 1024 maxelem 65536\n",
                "create fwp-" + "x".repeat(40) + " hash:net family inet hashsize 1024 maxelem 65536\n",
                "\n")) {
            assertThatThrownBy(() -> IpsetSaveParser.parse(bad)).as(bad).isInstanceOf(IpsetReadBackException.class)
                    .hasMessageStartingWith("ipset save line ");
        }
    }
}
