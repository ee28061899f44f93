package dev.fwpolicy.engine.ipset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.net.Cidr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
    void ipv6MembersInHashOrderComeOutSortedAndDistinct() {
        var random = new Random(3);
        var expected = new java.util.TreeSet<Cidr>();
        var text = new StringBuilder("create fwp-v6 hash:net family inet6 hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1\n");
        for (int i = 0; i < 3_000; i++) {
            var member = c("2001:db8:" + Integer.toHexString(random.nextInt(4)) + "::" + Integer.toHexString(1 + random.nextInt(500)));
            expected.add(member);
            text.append("add fwp-v6 ").append(member.address().text()).append('\n');
        }
        assertThat(expected).as("the input has duplicates").hasSizeLessThan(3_000);
        assertThat(IpsetSaveParser.parse(text.toString()).get("fwp-v6").orElseThrow().members()).containsExactlyElementsOf(expected);
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

    /**
     * IPv4 members are read by a path that scans the text in place; it must accept exactly the
     * spellings {@link Cidr#parseStrict} accepts, as the same network, and leave every other
     * one an error with the line it is on.
     */
    @Test
    void inPlaceMemberReadingAgreesWithTheStrictParser() {
        var spellings = new ArrayList<>(List.of("10.0.0.1", "10.0.0.0/8", "010.0.0.1", "10.0.0.1/32", "10.0.0.1/032", "0.0.0.0/0",
                "255.255.255.255", "10.0.0.1/8", "10.0.0.256", "10.0.0", "10.0.0.1.", "10.0.0.1/", "10.0.0.1/33", "10.0.0.1/+32",
                "10.0.0.1/-0", "1.2.3.4/3 ", "١.2.3.4", "1.2.3.٤", "10.0.0.1\r", "10..0.1", "1000.0.0.1", "a.b.c.d", "10.0.0.1/1a",
                "::ffff:10.0.0.1", "10.0.0.1%eth0"));
        var random = new Random(13);
        String alphabet = "0123456789./";
        for (int i = 0; i < 3000; i++) {
            var sb = new StringBuilder();
            for (int k = 1 + random.nextInt(18); k > 0; k--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            spellings.add(sb.toString());
            // Network addresses mostly; every fourth keeps host bits, which is an error.
            long address = random.nextLong() & 0xFFFF_FFFFL;
            int prefix = random.nextInt(33);
            if (i % 4 != 0) address &= prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            spellings.add((address >> 24) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255) + "/" + prefix);
        }
        int accepted = 0;
        for (String m : spellings) {
            String save = "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nadd fwp-a 10.9.9.9\nadd fwp-a " + m + "\n";
            Optional<Cidr> strict = Cidr.parseStrict(m).filter(c -> c.family() == dev.fwpolicy.engine.net.Family.V4);
            if (strict.isPresent()) {
                accepted++;
                var expected = new ArrayList<>(List.of(c("10.9.9.9")));
                if (!expected.contains(strict.get())) expected.add(strict.get());
                Collections.sort(expected);
                assertThat(IpsetSaveParser.parse(save).get("fwp-a").orElseThrow().members()).as(m).isEqualTo(expected);
            } else {
                assertThatThrownBy(() -> IpsetSaveParser.parse(save)).as(m).isInstanceOf(IpsetReadBackException.class)
                        .hasMessageStartingWith("ipset save line 3: ");
            }
        }
        assertThat(accepted).as("enough valid spellings to compare").isGreaterThan(500);
    }

    @Test
    void manyMembersInHashOrderComeBackSortedAndDistinct() {
        var hosts = new ArrayList<Cidr>();
        for (int i = 0; i < 5000; i++) hosts.add(c("172." + (16 + (i >> 16)) + "." + (i >> 8 & 255) + "." + (i & 255)));
        var shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, new Random(7));
        var sb = new StringBuilder("create fwp-a hash:net family inet hashsize 1024 maxelem 65536\n");
        for (Cidr h : shuffled) sb.append("add fwp-a ").append(h.source()).append('\n');
        sb.append("add fwp-a ").append(hosts.get(42).withPrefix()).append('\n');
        assertThat(IpsetSaveParser.parse(sb.toString()).get("fwp-a").orElseThrow().members()).isEqualTo(hosts);
    }
}
